/** Counts running handlers so a consumer's stop() can wait for them to finish. */
export class InflightTracker {
  readonly #running = new Set<Promise<unknown>>();

  /** Adds a running handler; the returned promise is the same one. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const forget = () => this.#running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Number of handlers still running. */
  get size(): number {
    return this.#running.size;
  }

  /** Resolves when every tracked handler, including ones started meanwhile, has settled. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
