/**
 * Tuning for openDatabase. Names follow oslo.db's `[database]` options where one exists
 * (`max_pool_size` → maxPoolSize), so the config loader maps them one to one.
 */
export interface OpenDatabaseOptions {
  /** SQLite: how long a statement waits for another writer's lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** PostgreSQL: most connections in the pool (oslo.db `max_pool_size`, default 5). */
  maxPoolSize?: number;
  /** PostgreSQL: deadline to get a connection, from the pool or by connecting (oslo `pool_timeout`). */
  connectTimeoutMs?: number;
  /** PostgreSQL: server-side deadline of one statement (`statement_timeout`). */
  statementTimeoutMs?: number;
  /** PostgreSQL: server-side deadline of one lock wait (`lock_timeout`). */
  lockTimeoutMs?: number;
  /** PostgreSQL: ends a session left idle inside a transaction, so its locks are freed. */
  idleInTransactionTimeoutMs?: number;
  /** PostgreSQL: closes pooled connections idle this long (oslo `connection_recycle_time`). */
  idleTimeoutMs?: number;
  /** PostgreSQL: `application_name`, visible in pg_stat_activity. */
  applicationName?: string;
  /** PostgreSQL: check connectivity with `SELECT 1` while opening (default true). */
  verify?: boolean;
  /** PostgreSQL: told about errors of idle pooled connections (the pool drops them itself). */
  onPoolError?: (err: Error) => void;
}

/** Defaults of OpenDatabaseOptions, chosen so that every wait has a deadline. */
export const DATABASE_DEFAULTS = {
  busyTimeoutMs: 5_000,
  maxPoolSize: 5,
  connectTimeoutMs: 10_000,
  statementTimeoutMs: 60_000,
  lockTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 60_000,
  idleTimeoutMs: 30_000,
  applicationName: 'stratus',
} as const;
