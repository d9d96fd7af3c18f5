import type { Kysely } from 'kysely';

/** The SQL backends Stratus runs on. */
export type DialectName = 'sqlite' | 'postgres';

/** Connection pool occupancy, exported as metrics by the services. */
export interface PoolStats {
  /** Connections open (idle plus in use). */
  total: number;
  /** Open connections not in use. */
  idle: number;
  /** Callers queued for a connection. */
  waiting: number;
}

/**
 * An open database: a Kysely instance plus what callers need to know about the backend.
 * Services type the Kysely instance with their own table interfaces.
 */
export interface Database<DB = any> {
  readonly kysely: Kysely<DB>;
  readonly dialect: DialectName;
  /** The connection URL with any password masked, for logs. */
  readonly safeUrl: string;
  /**
   * A stamp that differs whenever data may have changed since it was last read: a commit by any
   * connection, or a change made on this one (even uncommitted). Hot reads keep a result under
   * it (see VersionedReads). Absent where the backend cannot tell cheaply (PostgreSQL).
   */
  dataVersion?(): string;
  /** Pool occupancy; absent on SQLite, which has exactly one connection per Database. */
  poolStats?(): PoolStats;
  /** Closes every connection. */
  close(): Promise<void>;
}

/** One schema change of a service. Names sort in the order they apply (`0001_initial`). */
export interface Migration {
  name: string;
  /** Runs inside the migration's transaction; `db` is that transaction. */
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}

/** The migrations a service owns; each service can live in its own database or share one. */
export interface MigrationSet {
  /** e.g. `identity`, `placement`, `compute`, `compute_api`. */
  service: string;
  migrations: readonly Migration[];
}
