import { sql, type Kysely, type Transaction } from 'kysely';
import { systemClock, type Clock } from '../../common/clock.js';
import { StratusError } from '../../common/errors.js';
import type { Database, MigrationSet } from './database.js';
import { now } from './timestamps.js';
import { withTransaction } from './with-transaction.js';

/** The table that records applied migrations, shared by every service using the database. */
export const MIGRATIONS_TABLE = 'stratus_migrations';

/**
 * The PostgreSQL advisory lock key that serialises migration runs on one database
 * (the bytes of "stratus\0"); one key for all services, since migrations are rare and short.
 */
const PG_MIGRATION_LOCK_KEY = 0x7374726174757300n;

/** How migrate waits; every field has a default. */
export interface MigrateOptions {
  /** Clock for `applied_at` (default: the system clock). */
  clock?: Clock;
  /** PostgreSQL: how long to wait for another process's migration run (default 120 s). */
  lockTimeoutMs?: number;
  /** PostgreSQL: deadline of each statement of a migration, which may rebuild tables (default 600 s). */
  statementTimeoutMs?: number;
}

/** One applied migration as recorded. */
export interface AppliedMigration {
  name: string;
  appliedAt: string;
}

/** What migrationStatus reports for one service. */
export interface MigrationStatus {
  service: string;
  /** Recorded in the database and known to the code, in name order. */
  applied: AppliedMigration[];
  /** Known to the code, not yet applied, in the order migrate would apply them. */
  pending: string[];
  /** Recorded in the database but unknown to this code: the database is newer than the code. */
  unknown: AppliedMigration[];
}

/**
 * Applies the pending migrations of `set` in name order, each in its own transaction together
 * with its `stratus_migrations` row, and returns the names it applied. Idempotent; concurrent
 * runs against one database apply each migration once (a PostgreSQL advisory lock, or SQLite's
 * write lock taken by BEGIN IMMEDIATE, serialises them, and each re-reads what is applied).
 */
export async function migrate(
  database: Database,
  set: MigrationSet,
  opts: MigrateOptions = {},
): Promise<string[]> {
  const ordered = orderedMigrations(set);
  const clock = opts.clock ?? systemClock;
  const applied: string[] = [];
  await locked(database, opts, async (trx) => {
    await createMigrationsTable(trx);
  });
  for (const migration of ordered) {
    const ran = await locked(database, opts, async (trx) => {
      const done = await appliedRows(trx, set.service);
      if (done.some((r) => r.name === migration.name)) return false;
      const later = done.filter((r) => r.name > migration.name).map((r) => r.name);
      if (later.length > 0) {
        throw new StratusError(
          `migration ${set.service}/${migration.name} sorts before already applied ` +
            `${later.join(', ')}; rename it so that it sorts last`,
          { code: 'db.migration_order' },
        );
      }
      await migration.up(trx, database.dialect);
      await trx
        .insertInto(MIGRATIONS_TABLE)
        .values({ service: set.service, name: migration.name, applied_at: now(clock) })
        .execute();
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}

/** Lists which migrations of `set` are applied, pending, or recorded but unknown to the code. */
export async function migrationStatus(
  database: Database,
  set: MigrationSet,
): Promise<MigrationStatus> {
  const ordered = orderedMigrations(set);
  const rows = (await tableExists(database)) ? await appliedRows(database.kysely, set.service) : [];
  const known = new Set(ordered.map((m) => m.name));
  const recorded = new Set(rows.map((r) => r.name));
  return {
    service: set.service,
    applied: rows.filter((r) => known.has(r.name)),
    pending: ordered.filter((m) => !recorded.has(m.name)).map((m) => m.name),
    unknown: rows.filter((r) => !known.has(r.name)),
  };
}

function orderedMigrations(set: MigrationSet): MigrationSet['migrations'][number][] {
  if (!/^[a-z][a-z0-9_]*$/.test(set.service)) {
    throw new StratusError(`invalid migration set service name ${JSON.stringify(set.service)}`, {
      code: 'db.migration_set',
    });
  }
  const seen = new Set<string>();
  for (const m of set.migrations) {
    if (m.name === '' || seen.has(m.name)) {
      throw new StratusError(
        `migration set ${set.service} has an empty or duplicate name ${JSON.stringify(m.name)}`,
        { code: 'db.migration_set' },
      );
    }
    seen.add(m.name);
  }
  // Code-point order, not locale order, so every machine applies the same sequence.
  return [...set.migrations].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Runs `fn` in a transaction that holds the migration lock of the database. */
async function locked<T>(
  database: Database,
  opts: MigrateOptions,
  fn: (trx: Transaction<any>) => Promise<T>,
): Promise<T> {
  return withTransaction(
    database,
    async (trx) => {
      if (database.dialect === 'postgres') {
        // SET takes no bind parameters; the values are integers validated here.
        const lockMs = wholeMs(opts.lockTimeoutMs ?? 120_000);
        const stmtMs = wholeMs(opts.statementTimeoutMs ?? 600_000);
        await sql.raw(`set local lock_timeout = ${lockMs}`).execute(trx);
        await sql.raw(`set local statement_timeout = ${stmtMs}`).execute(trx);
        await sql`select pg_advisory_xact_lock(${sql.lit(PG_MIGRATION_LOCK_KEY.toString())}::bigint)`.execute(
          trx,
        );
      }
      // SQLite: the transaction began with BEGIN IMMEDIATE, which already holds the write lock.
      return fn(trx);
    },
    { attempts: 10 },
  );
}

function wholeMs(ms: number): number {
  if (!Number.isFinite(ms) || ms < 1) throw new RangeError(`invalid timeout ${ms}`);
  return Math.floor(ms);
}

async function createMigrationsTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable(MIGRATIONS_TABLE)
    .ifNotExists()
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stratus_migrations_pkey', ['service', 'name'])
    .execute();
}

async function tableExists(database: Database): Promise<boolean> {
  const q =
    database.dialect === 'postgres'
      ? sql<{ n: number }>`select count(*)::int as n from information_schema.tables
          where table_schema = current_schema() and table_name = ${MIGRATIONS_TABLE}`
      : sql<{ n: number }>`select count(*) as n from sqlite_master
          where type = 'table' and name = ${MIGRATIONS_TABLE}`;
  const { rows } = await q.execute(database.kysely);
  return Number(rows[0]?.n ?? 0) > 0;
}

async function appliedRows(db: Kysely<any>, service: string): Promise<AppliedMigration[]> {
  const rows = await db
    .selectFrom(MIGRATIONS_TABLE)
    .select(['name', 'applied_at'])
    .where('service', '=', service)
    .execute();
  // Sorted here rather than by ORDER BY, whose order depends on the PostgreSQL collation.
  return rows
    .map((r) => ({ name: String(r.name), appliedAt: String(r.applied_at) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
