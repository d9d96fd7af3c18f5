/**
 * A byte range of a stream that an inspector wants to keep while the stream goes by. Only the
 * region's bytes are copied (never a reference to the whole chunk), so memory stays bounded by
 * the regions' sizes however large the image is.
 */
export class CaptureRegion {
  private parts: Buffer[] = [];
  private have = 0;

  /**
   * @param offset where the region starts in the stream
   * @param length how many bytes it spans
   * @param minLength consider it complete once this much is captured (for variable structures)
   */
  constructor(
    readonly offset: number,
    public length: number,
    readonly minLength?: number,
  ) {}

  /** The bytes captured so far. */
  get data(): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts)];
    return this.parts[0] ?? Buffer.alloc(0);
  }

  /** True once the wanted bytes are all here. */
  get complete(): boolean {
    return this.minLength !== undefined ? this.have >= this.minLength : this.have >= this.length;
  }

  /** Keeps the part of `chunk` (which starts at `chunkStart` in the stream) inside the region. */
  capture(chunk: Buffer, chunkStart: number): void {
    const want = this.offset + this.have;
    const end = this.offset + this.length;
    const chunkEnd = chunkStart + chunk.length;
    const from = Math.max(want, chunkStart);
    const to = Math.min(end, chunkEnd);
    // Only the next missing bytes are taken, so a chunk seen twice is not captured twice.
    if (from !== want || to <= from) return;
    this.parts.push(Buffer.from(chunk.subarray(from - chunkStart, to - chunkStart)));
    this.have += to - from;
  }

  /** Shrinks the region to what has been captured (the wanted part turned out shorter). */
  truncate(length: number): void {
    this.length = length;
    if (this.have > length) {
      this.parts = [Buffer.from(this.data.subarray(0, length))];
      this.have = length;
    }
  }
}

/** The last `length` bytes of the stream, complete only once the stream has ended. */
export class EndCaptureRegion extends CaptureRegion {
  private tail = Buffer.alloc(0);
  private ended = false;

  constructor(length: number) {
    super(0, length);
  }

  override get data(): Buffer {
    return this.tail;
  }

  override get complete(): boolean {
    return this.ended && this.tail.length >= this.length;
  }

  override capture(chunk: Buffer): void {
    const keep = Math.min(this.length, this.tail.length + chunk.length);
    const joined =
      chunk.length >= this.length
        ? chunk.subarray(chunk.length - this.length)
        : Buffer.concat([this.tail, chunk]);
    this.tail = Buffer.from(joined.subarray(joined.length - keep));
  }

  /** Marks the end of the stream. */
  finish(): void {
    this.ended = true;
  }
}
