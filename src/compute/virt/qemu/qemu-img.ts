/**
 * The one wrapper around qemu-img. Formats are always passed (`-f`, `-F`, `-O`), never probed,
 * and images from outside are checked to be self-contained (no backing file, no external data
 * file) before QEMU opens them: either would let an image read host files.
 */
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { Logger } from 'pino';
import { BadRequestError, StratusError } from '../../../common/errors.js';
import type { ImageFormat } from './machine-spec.js';

/** A qemu-img run failed; the message carries its stderr. */
export class QemuImgError extends StratusError {
  constructor(message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { code: 'qemu_img.failed', ...opts });
  }
}

/** An image refers to other files (backing file, external data file) and must not be used. */
export class UnsafeImageError extends BadRequestError {
  constructor(message: string, details: Record<string, unknown>) {
    super(message, { code: 'image.unsafe', details });
  }
}

/** What `qemu-img info --output=json` says, in the fields Stratus uses. */
export interface ImageInfo {
  format: string;
  virtualSize: number;
  actualSize: number | undefined;
  backingFile: string | undefined;
  backingFormat: string | undefined;
  dataFile: string | undefined;
}

/** Options of QemuImg. */
export interface QemuImgOptions {
  binary?: string;
  /** Deadline of each run (default 10 min: convert of a large image is slow). */
  timeoutMs?: number;
  /**
   * Resource limits for `info` through prlimit, as Nova does against crafted images
   * (OSSA-2016-005); null disables. Default 1 GiB address space, 30 s CPU.
   */
  infoLimits?: { addressSpaceBytes: number; cpuSeconds: number } | null;
  logger?: Logger;
}

/** A typed, shell-free front to qemu-img. */
export class QemuImg {
  private readonly binary: string;
  private readonly timeoutMs: number;
  private readonly infoLimits: QemuImgOptions['infoLimits'];

  constructor(private readonly opts: QemuImgOptions = {}) {
    this.binary = opts.binary ?? 'qemu-img';
    this.timeoutMs = opts.timeoutMs ?? 600_000;
    this.infoLimits =
      opts.infoLimits === undefined
        ? { addressSpaceBytes: 1024 ** 3, cpuSeconds: 30 }
        : opts.infoLimits;
  }

  /** Reads image metadata with the format given (the backing chain is not opened). */
  async info(path: string, format: ImageFormat): Promise<ImageInfo> {
    const args = ['info', '--output=json', '-f', format, path];
    const limits = this.infoLimits;
    const out = limits
      ? await this.run('prlimit', [
          `--as=${limits.addressSpaceBytes}`,
          `--cpu=${limits.cpuSeconds}`,
          '--',
          this.binary,
          ...args,
        ])
      : await this.run(this.binary, args);
    const j = JSON.parse(out) as Record<string, unknown>;
    const specific = j['format-specific'] as { data?: Record<string, unknown> } | undefined;
    return {
      format: String(j.format),
      virtualSize: Number(j['virtual-size']),
      actualSize: typeof j['actual-size'] === 'number' ? j['actual-size'] : undefined,
      backingFile: strOrUndef(j['full-backing-filename'] ?? j['backing-filename']),
      backingFormat: strOrUndef(j['backing-filename-format']),
      dataFile: strOrUndef(specific?.data?.['data-file']),
    };
  }

  /**
   * Refuses an image that refers to any other file, checking the qcow2 header itself before
   * qemu-img opens it (opening would already open an external data file), then `info`.
   */
  async assertSelfContained(path: string, format: ImageFormat): Promise<ImageInfo> {
    if (format === 'qcow2') {
      const h = await readQcow2Header(path);
      if (h.backingFileOffset !== 0n) {
        throw new UnsafeImageError(`image ${path} has a backing file`, { path });
      }
      if (h.externalDataFile) {
        throw new UnsafeImageError(`image ${path} has an external data file`, { path });
      }
    }
    const info = await this.info(path, format);
    if (info.format !== format) {
      throw new UnsafeImageError(`image ${path} is ${info.format}, expected ${format}`, { path });
    }
    if (info.backingFile !== undefined || info.dataFile !== undefined) {
      throw new UnsafeImageError(`image ${path} refers to another file`, {
        path,
        backing_file: info.backingFile,
        data_file: info.dataFile,
      });
    }
    return info;
  }

  /** Creates a qcow2 overlay on `backing` (its format recorded explicitly, `-F`). */
  async createOverlay(
    path: string,
    backing: { path: string; format: ImageFormat },
    sizeBytes?: number,
  ): Promise<void> {
    const args = ['create', '-q', '-f', 'qcow2', '-b', backing.path, '-F', backing.format, path];
    if (sizeBytes !== undefined) args.push(String(sizeBytes));
    await this.run(this.binary, args);
  }

  /** Creates an empty image. */
  async create(path: string, format: ImageFormat, sizeBytes: number): Promise<void> {
    await this.run(this.binary, ['create', '-q', '-f', format, path, String(sizeBytes)]);
  }

  /** Converts `src` to `dst` (e.g. a raw download to a qcow2 base image). */
  async convert(
    src: { path: string; format: ImageFormat },
    dst: { path: string; format: ImageFormat },
  ): Promise<void> {
    await this.run(this.binary, [
      'convert',
      '-q',
      '-f',
      src.format,
      '-O',
      dst.format,
      src.path,
      dst.path,
    ]);
  }

  /** Grows (or, for raw, sets) the virtual size. */
  async resize(path: string, format: ImageFormat, sizeBytes: number): Promise<void> {
    await this.run(this.binary, ['resize', '-q', '-f', format, path, String(sizeBytes)]);
  }

  private run(bin: string, args: string[]): Promise<string> {
    this.opts.logger?.debug({ bin, args }, 'qemu-img');
    return new Promise((resolve, reject) => {
      execFile(
        bin,
        args,
        { timeout: this.timeoutMs, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGKILL' },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout);
          const what = `${bin === this.binary ? '' : `${bin} `}${args.join(' ')}`;
          reject(
            new QemuImgError(`qemu-img failed (${what}): ${stderr.trim() || err.message}`, {
              details: { args, stderr: stderr.trim() },
              cause: err,
            }),
          );
        },
      );
    });
  }
}

function strOrUndef(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The qcow2 header fields that make an image depend on other files. */
async function readQcow2Header(
  path: string,
): Promise<{ backingFileOffset: bigint; externalDataFile: boolean }> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(104);
    const { bytesRead } = await fh.read(buf, 0, 104, 0);
    if (bytesRead < 72 || buf.readUInt32BE(0) !== 0x514649fb) {
      throw new UnsafeImageError(`image ${path} is not qcow2`, { path });
    }
    const version = buf.readUInt32BE(4);
    const backingFileOffset = buf.readBigUInt64BE(8);
    // v3 incompatible_features bit 2: the guest data lives in an external data file.
    const incompatible = version >= 3 && bytesRead >= 80 ? buf.readBigUInt64BE(72) : 0n;
    return { backingFileOffset, externalDataFile: (incompatible & 4n) !== 0n };
  } finally {
    await fh.close();
  }
}
