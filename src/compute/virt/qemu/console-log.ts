/**
 * The serial console log of one machine, as QEMU's chardev writes it (O_APPEND, `logappend=on`).
 * Bounded by copy-truncate rotation: QEMU keeps its descriptor, and with O_APPEND its next write
 * lands at the new end of the truncated file. Reading the last N lines reads from the end only.
 */
import { open, stat, copyFile, truncate } from 'node:fs/promises';
import { withDeadline, sleep } from '../../../common/deadline.js';

/** A console line found by waitForLine, with where the search may resume. */
export interface ConsoleMatch {
  line: string;
  /** Offset in the live log just after the matched line. */
  nextOffset: number;
}

/** Reader and rotator of one console log file (the rotated copy is `<path>.1`). */
export class ConsoleLog {
  /** Path of the previous generation. */
  readonly rotatedPath: string;

  constructor(
    readonly path: string,
    /** Upper bound of live + rotated bytes, give or take what is written between two checks. */
    readonly maxBytes = 1024 * 1024,
  ) {
    this.rotatedPath = `${path}.1`;
  }

  /** Current size of the live file (0 when it does not exist yet). */
  async size(): Promise<number> {
    return (await stat(this.path).catch(() => undefined))?.size ?? 0;
  }

  /**
   * Rotates when the live file exceeds half the budget: copy to `.1`, then truncate. Bytes that
   * QEMU writes between the copy and the truncate are lost; that window is microseconds.
   */
  async rotateIfNeeded(): Promise<boolean> {
    if ((await this.size()) <= this.maxBytes / 2) return false;
    await copyFile(this.path, this.rotatedPath);
    await truncate(this.path, 0);
    return true;
  }

  /** The last `n` lines (rotated generation included when the live one is short). */
  async tail(n: number): Promise<string[]> {
    if (n <= 0) return [];
    const live = await tailFile(this.path, n);
    if (live.length >= n) return live;
    const older = await tailFile(this.rotatedPath, n - live.length);
    return [...older, ...live];
  }

  /** The whole live file as text. */
  async read(): Promise<string> {
    return readRange(this.path, 0, await this.size());
  }

  /**
   * Waits for a line matching `pattern` written at or after `fromOffset` of the live file,
   * polling; follows a rotation by finishing the old bytes from `.1` first.
   */
  waitForLine(
    pattern: RegExp,
    timeoutMs: number,
    opts: { fromOffset?: number; pollMs?: number; what?: string } = {},
  ): Promise<ConsoleMatch> {
    const what = opts.what ?? `console line ${pattern}`;
    return withDeadline(what, timeoutMs, async (signal) => {
      let offset = opts.fromOffset ?? 0;
      let partial = '';
      for (;;) {
        const size = await this.size();
        let chunk = '';
        if (size < offset) {
          // Rotated since the last look: the rest of the old generation is in `.1`.
          const oldSize = (await stat(this.rotatedPath).catch(() => undefined))?.size ?? 0;
          chunk = await readRange(this.rotatedPath, offset, oldSize);
          offset = 0;
          partial += chunk;
          chunk = '';
        }
        if (size > offset) {
          chunk = await readRange(this.path, offset, size);
          offset = size;
        }
        partial += chunk;
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        let consumed = Buffer.byteLength(partial);
        for (let i = lines.length - 1; i >= 0; i--) consumed += Buffer.byteLength(lines[i]!) + 1;
        let pos = offset - consumed;
        for (const raw of lines) {
          pos += Buffer.byteLength(raw) + 1;
          const line = raw.replace(/\r$/, '');
          if (pattern.test(line)) return { line, nextOffset: Math.max(pos, 0) };
        }
        await sleep(opts.pollMs ?? 50, signal);
      }
    });
  }
}

async function readRange(path: string, start: number, end: number): Promise<string> {
  if (end <= start) return '';
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return '';
  try {
    const buf = Buffer.alloc(end - start);
    const { bytesRead } = await fh.read(buf, 0, buf.length, start);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** Last `n` lines of a file, reading backwards in chunks until enough newlines are seen. */
async function tailFile(path: string, n: number): Promise<string[]> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return [];
  try {
    const { size } = await fh.stat();
    const chunkSize = 16 * 1024;
    let pos = size;
    let text = Buffer.alloc(0);
    let newlines = 0;
    while (pos > 0 && newlines <= n) {
      const len = Math.min(chunkSize, pos);
      pos -= len;
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, pos);
      for (const b of buf) if (b === 0x0a) newlines++;
      text = Buffer.concat([buf, text]);
    }
    const lines = text.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    // A chunk may start mid-line; drop that fragment unless we read from the start of the file.
    if (pos > 0) lines.shift();
    return lines.slice(-n).map((l) => l.replace(/\r$/, ''));
  } finally {
    await fh.close();
  }
}
