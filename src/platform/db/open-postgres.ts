import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { ServiceUnavailableError } from '../../common/errors.js';
import type { Database } from './database.js';
import { DATABASE_DEFAULTS, type OpenDatabaseOptions } from './open-options.js';

const INT8_OID = 20;

/**
 * Type parsers of this pool. node-postgres returns int8 (bigint, and every COUNT(*)) as a string;
 * SQLite returns a number, so for the same code on both dialects int8 becomes a number here.
 * Values beyond 2^53 stay strings rather than silently losing precision.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') {
      return (value: string) => {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : value;
      };
    }
    return format === undefined
      ? pg.types.getTypeParser(oid)
      : pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Opens a node-postgres pool whose sessions carry statement, lock and idle-transaction deadlines. */
export async function openPostgres(
  connectionString: string,
  safeUrl: string,
  opts: OpenDatabaseOptions = {},
): Promise<Database> {
  const d = { ...DATABASE_DEFAULTS, ...definedOnly(opts) };
  const pool = new pg.Pool({
    connectionString,
    max: d.maxPoolSize,
    connectionTimeoutMillis: d.connectTimeoutMs,
    idleTimeoutMillis: d.idleTimeoutMs,
    // Sent as session settings at connect time, so every statement and every lock wait of every
    // pooled connection has a server-side deadline, including those inside services' own SQL.
    statement_timeout: d.statementTimeoutMs,
    lock_timeout: d.lockTimeoutMs,
    idle_in_transaction_session_timeout: d.idleInTransactionTimeoutMs,
    application_name: d.applicationName,
    types: typeParsers,
  });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on('error', (err) => opts.onPoolError?.(err));
  const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  const database: Database = {
    kysely,
    dialect: 'postgres',
    safeUrl,
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    close: () => kysely.destroy(),
  };
  if (opts.verify ?? true) {
    try {
      await sql`select 1`.execute(kysely);
    } catch (err) {
      await kysely.destroy().catch(() => undefined);
      throw new ServiceUnavailableError(
        `cannot connect to database ${safeUrl}: ${(err as Error).message}`,
        { code: 'db.unavailable', cause: err },
      );
    }
  }
  return database;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
