// QueryTemplates on SQLite; PostgreSQL runs them through the instance listing's suite.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import { openSqlite } from './open-sqlite.js';
import { QueryTemplates, queryTemplates } from './query-templates.js';
import { withTransaction } from './with-transaction.js';

interface Db {
  pets: { id: number; name: string; kind: string; age: number };
}

let database: Database;
let db: Kysely<Db>;

before(async () => {
  database = openSqlite(':memory:', 'sqlite://');
  db = database.kysely as Kysely<Db>;
  await db.schema
    .createTable('pets')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('age', 'integer', (c) => c.notNull())
    .execute();
  await db
    .insertInto('pets')
    .values([
      { id: 1, name: 'rex', kind: 'dog', age: 3 },
      { id: 2, name: 'tom', kind: 'cat', age: 5 },
      { id: 3, name: 'fido', kind: 'dog', age: 7 },
    ])
    .execute();
});

after(() => database.close());

test('builds a shape once and runs it with each call’s values', async () => {
  const templates = new QueryTemplates(db);
  let builds = 0;
  const olderThan = (kind: string, age: number) =>
    templates.execute(
      'pets.olderThan',
      (slot) => {
        builds++;
        return db
          .selectFrom('pets')
          .select('name')
          .where('kind', '=', slot('kind'))
          .where('age', '>', slot('age'))
          .orderBy('id')
          .limit(slot('limit'));
      },
      { kind, age, limit: 10 },
    );
  assert.deepEqual(await olderThan('dog', 0), [{ name: 'rex' }, { name: 'fido' }]);
  assert.deepEqual(await olderThan('dog', 4), [{ name: 'fido' }]);
  assert.deepEqual(await olderThan('cat', 4), [{ name: 'tom' }]);
  assert.equal(builds, 1);
});

test('keeps the constants a shape was built with', async () => {
  const templates = new QueryTemplates(db);
  const rows = await templates.execute(
    'pets.dogsNamed',
    (slot) =>
      db
        .selectFrom('pets')
        .select('id')
        .where('kind', '=', 'dog')
        .where('name', 'in', [slot('a'), slot('b')]),
    { a: 'rex', b: 'tom' },
  );
  assert.deepEqual(rows, [{ id: 1 }]);
});

test('a value the template has no entry for is an error, not a NULL', async () => {
  const templates = new QueryTemplates(db);
  await assert.rejects(
    templates.execute(
      'pets.byName',
      (slot) => db.selectFrom('pets').select('id').where('name', '=', slot('name')),
      {},
    ),
    /no value for name/,
  );
});

test('a transaction shares its database’s templates and runs them on its own connection', async () => {
  let builds = 0;
  const countDogs = (on: Kysely<Db>) =>
    queryTemplates(on).execute(
      'pets.countKind',
      (slot) => {
        builds++;
        return on.selectFrom('pets').select('id').where('kind', '=', slot('kind'));
      },
      { kind: 'dog' },
    );
  assert.equal((await countDogs(db)).length, 2);
  await assert.rejects(
    withTransaction(database, async (trx) => {
      await trx.insertInto('pets').values({ id: 9, name: 'ace', kind: 'dog', age: 1 }).execute();
      // The uncommitted row is seen: the template ran in the transaction.
      assert.equal((await countDogs(trx as unknown as Kysely<Db>)).length, 3);
      throw new Error('roll back');
    }),
    /roll back/,
  );
  assert.equal((await countDogs(db)).length, 2);
  assert.equal(builds, 1);
});
