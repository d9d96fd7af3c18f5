/**
 * Server bodies already rendered to JSON (UTF-8, ready to be written to a socket), by view
 * (everything a body depends on besides the instance: microversion, what the caller may see,
 * the URL the links are built under) and by instance uuid, each with the instance revision it
 * was rendered at. The database moves the revision with every change to what a body shows
 * (see src/compute/db/instance-revision.ts), so a body is current while the revisions match. A
 * listing of unchanged servers then costs one query and a copy instead of loading and
 * rendering each one.
 *
 * Alongside, the few facts of each instance that choose its view (uuid, project, host), by row
 * id and revision: a listing then reads two integers a row, since building strings for each
 * row cost more than the rest of the query.
 */
interface Entry {
  revision: number;
  text: Buffer;
}

/** What a listed instance's view is chosen by, as of `revision`. */
export interface InstanceFacts {
  id: number;
  revision: number;
  uuid: string;
  project_id: string;
  host: string | null;
}

/** Facts are small; this many cover every instance of a large cloud. */
const MAX_FACTS = 200_000;

export class RenderedServerCache {
  private readonly views = new Map<string, Map<string, Entry>>();
  private readonly factsById = new Map<number, InstanceFacts>();
  private bytes = 0;

  constructor(
    /** Upper bound of the JSON kept, in bytes. */
    private readonly maxBytes: number,
  ) {}

  /** The body of `uuid` in `view` when it was rendered at `revision`. */
  get(view: string, uuid: string, revision: number): Buffer | undefined {
    const entry = this.views.get(view)?.get(uuid);
    return entry?.revision === revision ? entry.text : undefined;
  }

  /** Keeps a body, replacing the one of an older revision. */
  set(view: string, uuid: string, revision: number, text: Buffer): void {
    if (text.length > this.maxBytes) return;
    let bodies = this.views.get(view);
    if (!bodies) this.views.set(view, (bodies = new Map()));
    const old = bodies.get(uuid);
    if (old) {
      // A revision only grows: an older one never replaces a newer body.
      if (old.revision > revision) return;
      this.bytes -= old.text.length;
      bodies.delete(uuid);
    }
    bodies.set(uuid, { revision, text });
    this.bytes += text.length;
    this.evict();
  }

  /** The facts of instance `id` at `revision`, if known. */
  facts(id: number, revision: number): InstanceFacts | undefined {
    const f = this.factsById.get(id);
    return f?.revision === revision ? f : undefined;
  }

  /** Keeps the facts of an instance, unless newer ones are kept. */
  setFacts(facts: InstanceFacts): void {
    const old = this.factsById.get(facts.id);
    if (old) {
      if (old.revision > facts.revision) return;
      this.factsById.delete(facts.id);
    } else if (this.factsById.size >= MAX_FACTS) {
      this.factsById.delete(this.factsById.keys().next().value!);
    }
    this.factsById.set(facts.id, facts);
  }

  /** Drops the oldest bodies of each view in turn until the budget holds. */
  private evict(): void {
    while (this.bytes > this.maxBytes) {
      for (const [view, bodies] of this.views) {
        const first = bodies.entries().next().value;
        if (first) {
          bodies.delete(first[0]);
          this.bytes -= first[1].text.length;
        }
        if (!bodies.size) this.views.delete(view);
        if (this.bytes <= this.maxBytes) return;
      }
    }
  }

  /** How many bodies are kept (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const bodies of this.views.values()) n += bodies.size;
    return n;
  }
}
