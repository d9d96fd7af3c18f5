// forEachDialect as store tests use it: the same tests on a migrated database of each dialect.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachDialect } from '../../../test/harness/dialects.js';
import type { Database, MigrationSet } from './database.js';
import { isUniqueViolation } from './db-errors.js';
import { withTransaction } from './with-transaction.js';

const notes: MigrationSet = {
  service: 'notes',
  migrations: [
    {
      name: '0001_notes',
      async up(db) {
        await db.schema
          .createTable('notes')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('body', 'text', (c) => c.notNull())
          .execute();
      },
    },
  ],
};

forEachDialect('forEachDialect example', (ctx) => {
  let shared: Database;
  before(async () => {
    shared = await ctx.open({ migrations: [notes] });
  });

  test('each open() gives a fresh migrated database', async () => {
    const db = await ctx.open({ migrations: [notes] });
    assert.equal(db.dialect, ctx.dialect);
    await db.kysely.insertInto('notes').values({ id: 'a', body: 'x' }).execute();
    const again = await ctx.open({ migrations: [notes] });
    assert.deepEqual(await again.kysely.selectFrom('notes').selectAll().execute(), []);
  });

  test('a database opened in before() lives for the whole suite', async () => {
    await withTransaction(shared, (trx) =>
      trx.insertInto('notes').values({ id: 'k', body: 'one' }).execute(),
    );
    await assert.rejects(
      shared.kysely.insertInto('notes').values({ id: 'k', body: 'two' }).execute(),
      isUniqueViolation,
    );
  });

  test('…and is still open in the next test', async () => {
    const rows = await shared.kysely.selectFrom('notes').select('body').execute();
    assert.deepEqual(rows, [{ body: 'one' }]);
  });
});
