// Small fixtures shared by the database contract tests.
import type { Kysely } from 'kysely';
import type { Database, MigrationSet } from './database.js';

/** A deferred promise, to hold a transaction open while another connection runs. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** Builds a migration set whose `up` calls are counted, to prove each runs once. */
export function countedSet(service: string, delayMs = 0): { set: MigrationSet; calls: string[] } {
  const calls: string[] = [];
  const step = (name: string, table: string) => ({
    name,
    async up(db: Kysely<any>) {
      calls.push(name);
      await db.schema
        .createTable(table)
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .execute();
      // Widens the window in which a concurrent migrator could slip in.
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    },
  });
  return {
    calls,
    set: {
      service,
      // Out of order on purpose: migrate applies in name order.
      migrations: [step('0002_second', `${service}_b`), step('0001_first', `${service}_a`)],
    },
  };
}

/** Creates table `kv(k text primary key, v integer)`, the contract tests' scratch table. */
export async function createKv(db: Database): Promise<void> {
  await db.kysely.schema
    .createTable('kv')
    .addColumn('k', 'text', (c) => c.primaryKey())
    .addColumn('v', 'integer', (c) => c.notNull())
    .execute();
}

/** The number of rows of `table`, through COUNT(*) (a number on both dialects). */
export async function countRows(db: Database, table: string): Promise<number> {
  const row = await db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return row.n as number;
}
