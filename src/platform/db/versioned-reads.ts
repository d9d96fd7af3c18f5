import type { Database } from './database.js';

/**
 * Results of hot reads kept under the database's data version (Database.dataVersion): while
 * nothing was written, a read is answered from memory without a query. On SQLite - the
 * embedded default, where one process serves the API - a listing polled by clients between
 * writes costs no database work. Where the database cannot tell (PostgreSQL) every read runs.
 *
 * A result is kept under the version read before its query ran, so a write in between only
 * makes the next read miss. Kept results are shared between callers, who must not change them.
 */
export class VersionedReads {
  private readonly results = new Map<string, { version: string; value: unknown }>();

  constructor(
    private readonly database: Database,
    /** Results kept; the oldest goes first. */
    private readonly maxEntries = 256,
  ) {}

  /** The result of the read named `key`, from memory while no write happened since it ran. */
  async read<T>(key: string, load: () => Promise<T>): Promise<T> {
    const version = this.database.dataVersion?.();
    if (version === undefined) return load();
    const kept = this.results.get(key);
    if (kept?.version === version) return kept.value as T;
    const value = await load();
    this.results.delete(key);
    if (this.results.size >= this.maxEntries) {
      this.results.delete(this.results.keys().next().value!);
    }
    this.results.set(key, { version, value });
    return value;
  }
}

const byDatabase = new WeakMap<Database, VersionedReads>();

/** The versioned reads of one database. */
export function versionedReads(database: Database): VersionedReads {
  let reads = byDatabase.get(database);
  if (!reads) byDatabase.set(database, (reads = new VersionedReads(database)));
  return reads;
}
