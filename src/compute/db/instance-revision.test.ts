import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import { newInstanceRow } from '../../../test/harness/compute-fixtures.js';
import { forEachDialect } from '../../../test/harness/dialects.js';
import type { Database } from '../../platform/db/database.js';
import { cellMigrations } from './cell-migrations.js';
import type { CellDatabase } from './cell-tables.js';
import { InstanceStore } from './instance-store.js';

const A = 'c0000000-0000-0000-0000-00000000000a';
const B = 'c0000000-0000-0000-0000-00000000000b';

forEachDialect('instance revision', (ctx) => {
  test('moves with every change to an instance or what hangs off it, and only its own', async () => {
    const database: Database = await ctx.open({ migrations: [cellMigrations] });
    const db = database.kysely as Kysely<CellDatabase>;
    const store = new InstanceStore(database, { now: () => Date.now() });
    await store.create(newInstanceRow(A), { k: 'v' }, ['t']);
    await store.create(newInstanceRow(B));
    const revisions = async () =>
      Object.fromEntries(
        (await db.selectFrom('instances').select(['uuid', 'revision']).execute()).map((r) => [
          r.uuid,
          Number(r.revision),
        ]),
      );
    let last = await revisions();
    /** Runs a change and checks that A's revision grew and B's did not. */
    const moves = async (what: string, change: () => Promise<unknown>) => {
      await change();
      const now = await revisions();
      assert.ok(now[A]! > last[A]!, `${what}: revision of A did not grow`);
      assert.equal(now[B], last[B], `${what}: revision of B moved`);
      last = now;
    };
    await moves('row update', () => store.update(A, { display_name: 'renamed' }));
    await moves('metadata insert', () =>
      db
        .insertInto('instance_metadata')
        .values({ instance_uuid: A, key: 'k2', value: 'v' })
        .execute(),
    );
    await moves('metadata update', () =>
      db.updateTable('instance_metadata').set({ value: 'w' }).where('key', '=', 'k2').execute(),
    );
    await moves('metadata delete', () =>
      db.deleteFrom('instance_metadata').where('instance_uuid', '=', A).execute(),
    );
    await moves('tag insert', () =>
      db.insertInto('tags').values({ resource_id: A, tag: 'x' }).execute(),
    );
    await moves('tag delete', () => db.deleteFrom('tags').where('resource_id', '=', A).execute());
    await moves('fault', () => store.addFault(A, { code: 500, message: 'boom' }));
    await moves('soft delete', () => store.softDelete(A));
  });
});
