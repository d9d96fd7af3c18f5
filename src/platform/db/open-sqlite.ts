import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDb from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import { ConfigError } from '../../common/errors.js';
import type { Database } from './database.js';
import { DATABASE_DEFAULTS, type OpenDatabaseOptions } from './open-options.js';

/**
 * Begins every transaction with BEGIN IMMEDIATE: the write lock is taken up front, waiting up to
 * busy_timeout, instead of failing with SQLITE_BUSY when a read transaction later tries to write
 * (a deferred transaction cannot wait for that upgrade). Within one process a Database has one
 * connection and Kysely already serialises its transactions, so this costs nothing there.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** How many prepared statements a connection keeps; services issue far fewer distinct SQL texts. */
const STATEMENT_CACHE_SIZE = 1000;

/**
 * The connection as Kysely sees it, preparing each distinct SQL text once: Kysely prepares every
 * query anew, and preparing was the largest cost of a request under load. Statements stay valid
 * across schema changes (SQLite re-prepares them itself) and Kysely never runs two at once on
 * one connection. The cache drops its oldest entry when full. A plain object rather than a Proxy
 * of the database, and each statement's `reader` read once: both sit on every query's path.
 */
function withStatementCache(db: SqliteDb.Database): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql);
      if (stmt) return stmt;
      const prepared = db.prepare(sql);
      stmt = {
        reader: prepared.reader,
        all: (parameters) => prepared.all(parameters),
        run: (parameters) => prepared.run(parameters),
        iterate: (parameters) => prepared.iterate(parameters),
      };
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/** The SQLite dialect with ImmediateSqliteDriver in place of Kysely's default driver. */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDb.Database) {
    const cached = withStatementCache(db);
    super({ database: cached });
    this.#db = cached;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#db });
  }
}

/** Opens a SQLite file (or `:memory:`) with WAL, busy_timeout, foreign keys and NORMAL sync. */
export function openSqlite(
  filename: string,
  safeUrl: string,
  opts: OpenDatabaseOptions = {},
): Database {
  const busyTimeoutMs = opts.busyTimeoutMs ?? DATABASE_DEFAULTS.busyTimeoutMs;
  const memory = filename === ':memory:';
  let db: SqliteDb.Database;
  try {
    if (!memory) mkdirSync(dirname(resolve(filename)), { recursive: true });
    db = new SqliteDb(filename, { timeout: busyTimeoutMs });
  } catch (err) {
    throw new ConfigError(`cannot open SQLite database ${safeUrl}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    // WAL lets readers run beside the writer; NORMAL sync is durable across application crashes
    // and loses at most the last transactions on power loss, which is SQLite's advice for WAL.
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    // SQLite's default page cache is 2 MB, smaller than a cloud's database: every read then
    // re-fetched pages through read(2). A 64 MB ceiling (grown only as pages are used) and
    // memory-mapped reads keep the working set in memory.
    db.pragma('cache_size = -65536');
    if (!memory) db.pragma('mmap_size = 268435456');
  } catch (err) {
    db.close();
    throw new ConfigError(
      `cannot configure SQLite database ${safeUrl}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const kysely = new Kysely<any>({ dialect: new ImmediateSqliteDialect(db) });
  // data_version moves with every commit of another connection (or process); total_changes
  // counts this connection's own row changes, made through triggers too, committed or not.
  const version = db
    .prepare("select total_changes() || ':' || data_version from pragma_data_version")
    .pluck();
  return {
    kysely,
    dialect: 'sqlite',
    safeUrl,
    dataVersion: () => version.get() as string,
    close: () => kysely.destroy(),
  };
}
