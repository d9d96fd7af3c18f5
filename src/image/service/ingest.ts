import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImageDataStore } from '../backend/image-data-store.js';
import { FormatDetector, judgeFormat } from '../format/format-detector.js';

/** A cap on the bytes an ingest accepts, and the error to fail with beyond it. */
export interface ByteLimit {
  bytes: number;
  error: (received: number) => Error;
}

/** What an ingest checks on the way. */
export interface IngestOptions {
  store: ImageDataStore;
  imageId: string;
  limits: ByteLimit[];
  /** Inspect the content against this disk_format (omitted: no inspection). */
  inspect?: { diskFormat: string; requireMatch: boolean };
}

/** Image data that is now in the store. */
export interface IngestResult {
  location: string;
  size: number;
  /** MD5 hex digest (Glance's `checksum`). */
  checksum: string;
  /** SHA-512 hex digest (`os_hash_value`). */
  osHashValue: string;
  /** From the format inspection, when it found one. */
  virtualSize: number | null;
}

/**
 * Streams image data into the store, never holding more than a chunk in memory: the size,
 * MD5 and SHA-512 are computed and the format inspectors fed as the bytes pass, limits are
 * enforced as they are reached, and the data becomes the image's only once it is complete and
 * judged acceptable; on any failure (including the source breaking off) nothing is left behind.
 */
export async function ingest(source: Readable, opts: IngestOptions): Promise<IngestResult> {
  const md5 = createHash('md5');
  const sha512 = createHash('sha512');
  const detector = opts.inspect ? new FormatDetector() : undefined;
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      for (const limit of opts.limits) {
        if (size > limit.bytes) {
          done(limit.error(size));
          return;
        }
      }
      md5.update(chunk);
      sha512.update(chunk);
      detector?.eat(chunk);
      done(null, chunk);
    },
  });
  const write = await opts.store.beginWrite(opts.imageId);
  try {
    await pipeline(source, meter, write.stream);
    let virtualSize: number | null = null;
    if (detector && opts.inspect) {
      detector.finish();
      virtualSize = judgeFormat(
        detector,
        opts.inspect.diskFormat,
        opts.inspect.requireMatch,
      ).virtualSize;
    }
    const location = await write.commit();
    return {
      location,
      size,
      checksum: md5.digest('hex'),
      osHashValue: sha512.digest('hex'),
      virtualSize,
    };
  } catch (err) {
    await write.abort();
    throw err;
  }
}
