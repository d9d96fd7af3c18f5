import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { isUuidLike } from '../../common/ids.js';
import {
  ImageDataMissingError,
  type ImageDataStore,
  type PendingWrite,
} from './image-data-store.js';

/** Where unfinished writes go: the same filesystem as the store, so commit is a rename. */
const PARTIAL_DIR = '.partial';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Image data as files under one directory ([glance_store] filesystem_store_datadir), named by
 * image id, with `file://` locations as Glance's filesystem store. A write goes to a temporary
 * file under `.partial/` (named with the writing process's pid), is flushed to disk, and is
 * renamed into place only on commit; a reader never sees a partial file.
 */
export class FileStore implements ImageDataStore {
  readonly scheme = 'file';
  private readonly dir: string;

  constructor(
    dir: string,
    private readonly logger?: Logger,
  ) {
    this.dir = resolve(dir);
    mkdirSync(join(this.dir, PARTIAL_DIR), { recursive: true });
  }

  /** The location of an image's data in this store. */
  locationOf(imageId: string): string {
    return pathToFileURL(join(this.dir, imageId)).href;
  }

  async beginWrite(imageId: string): Promise<PendingWrite> {
    const temp = join(
      this.dir,
      PARTIAL_DIR,
      `${imageId}.${process.pid}.${randomBytes(6).toString('hex')}`,
    );
    const final = join(this.dir, imageId);
    const handle = await open(temp, 'wx', 0o600);
    const stream = createWriteStream('', { fd: handle.fd, autoClose: false });
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await handle.close().catch(() => undefined);
    };
    return {
      stream,
      commit: async () => {
        if (!stream.writableFinished) throw new Error('commit before the write finished');
        // Durable before visible: the data is on disk before the rename, the rename before
        // the caller records the location.
        await handle.sync();
        await close();
        await rename(temp, final);
        await syncDir(this.dir);
        return this.locationOf(imageId);
      },
      abort: async () => {
        stream.destroy();
        await close();
        await rm(temp, { force: true });
      },
    };
  }

  async read(location: string, range?: { start: number; end: number }): Promise<Readable> {
    const path = this.pathOf(location);
    try {
      await stat(path);
    } catch {
      throw new ImageDataMissingError(location);
    }
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async delete(location: string): Promise<void> {
    await rm(this.pathOf(location), { force: true });
  }

  async cleanup(isLive: (location: string) => Promise<boolean>): Promise<void> {
    for (const name of await readdir(join(this.dir, PARTIAL_DIR))) {
      const pid = Number(name.split('.')[1]);
      // Another live process may be writing it (several image workers on one host).
      if (Number.isInteger(pid) && isAlive(pid)) continue;
      this.logger?.info({ file: name }, 'removing the leftover of an interrupted image write');
      await rm(join(this.dir, PARTIAL_DIR, name), { force: true });
    }
    for (const name of await readdir(this.dir)) {
      // Only files named like image data: an operator's own files in the directory stay.
      if (name === PARTIAL_DIR || !isUuidLike(name)) continue;
      const location = this.locationOf(name);
      if (await isLive(location)) continue;
      this.logger?.info({ location }, 'removing image data no image refers to');
      await rm(join(this.dir, name), { force: true });
    }
  }

  private pathOf(location: string): string {
    const path = resolve(fileURLToPath(location));
    // Only this store's own files, whatever a database row says.
    if (!path.startsWith(`${this.dir}/`)) throw new ImageDataMissingError(location);
    return path;
  }
}

async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
