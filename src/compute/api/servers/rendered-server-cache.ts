/**
 * Server bodies already rendered to JSON (UTF-8, ready to be written to a socket), keyed by the instance's uuid and revision (which the
 * database moves with every change to what a body shows, see src/compute/db/instance-revision.ts)
 * and by everything else the body depends on (microversion, what the caller may see, the URL
 * the links are built under). A listing of unchanged servers then costs one query and a
 * string join instead of loading and rendering each one.
 */
export class RenderedServerCache {
  // Insertion order is use order: a hit is moved to the end, the front is evicted first.
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;

  constructor(
    /** Upper bound of the JSON kept, in bytes. */
    private readonly maxBytes: number,
  ) {}

  static key(uuid: string, revision: number, view: string): string {
    return `${uuid}|${revision}|${view}`;
  }

  get(key: string): Buffer | undefined {
    const text = this.entries.get(key);
    if (text !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, text);
    }
    return text;
  }

  set(key: string, text: Buffer): void {
    if (text.length > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.bytes -= old.length;
      this.entries.delete(key);
    }
    this.entries.set(key, text);
    this.bytes += text.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.length;
    }
  }

  /** How many bodies are kept (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }
}
