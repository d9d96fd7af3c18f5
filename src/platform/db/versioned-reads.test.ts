// VersionedReads on a SQLite file, written through the same connection, another connection and
// inside a transaction.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { openSqlite } from './open-sqlite.js';
import { VersionedReads } from './versioned-reads.js';
import { withTransaction } from './with-transaction.js';

interface Db {
  counters: { name: string; value: number };
}

let dir: string;
let database: Database;
let other: Database;
const k = (d: Database) => d.kysely as Kysely<Db>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'versioned-reads-'));
  const file = join(dir, 'db.sqlite');
  database = openSqlite(file, 'sqlite://test');
  await k(database)
    .schema.createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await k(database).insertInto('counters').values({ name: 'a', value: 1 }).execute();
  other = openSqlite(file, 'sqlite://test');
});

after(async () => {
  await other.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A read that counts how often it really ran. */
function counted(reads: VersionedReads) {
  let runs = 0;
  const read = () =>
    reads.read('a', async () => {
      runs++;
      return (await k(database).selectFrom('counters').select('value').executeTakeFirstOrThrow())
        .value;
    });
  return { read, runs: () => runs };
}

const set = (d: Database, value: number) =>
  k(d).updateTable('counters').set({ value }).where('name', '=', 'a').execute();

test('answers from memory while nothing is written', async () => {
  const { read, runs } = counted(new VersionedReads(database));
  assert.equal(await read(), 1);
  assert.equal(await read(), 1);
  assert.equal(runs(), 1);
});

test('reads again after a write on the same connection', async () => {
  const { read, runs } = counted(new VersionedReads(database));
  await read();
  await set(database, 2);
  assert.equal(await read(), 2);
  assert.equal(runs(), 2);
});

test('reads again after another connection commits', async () => {
  const { read, runs } = counted(new VersionedReads(database));
  await read();
  await set(other, 3);
  assert.equal(await read(), 3);
  assert.equal(runs(), 2);
});

test('a read racing a transaction never keeps what the transaction changed as unchanged', async () => {
  const { read } = counted(new VersionedReads(database));
  await set(database, 4);
  assert.equal(await read(), 4);
  let inside!: Promise<number>;
  await withTransaction(database, async (trx) => {
    await trx.updateTable('counters').set({ value: 5 }).where('name', '=', 'a').execute();
    // Runs after the transaction lets go of the connection, so it sees the commit.
    inside = read();
  });
  assert.equal(await inside, 5);
  assert.equal(await read(), 5);
});

test('without a data version every read runs', async () => {
  const { dataVersion: _, ...versionless } = database;
  const { read, runs } = counted(new VersionedReads(versionless));
  await read();
  await read();
  assert.equal(runs(), 2);
});
