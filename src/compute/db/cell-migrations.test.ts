import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kysely } from 'kysely';
import { newInstanceRow } from '../../../test/harness/compute-fixtures.js';
import { forEachDialect } from '../../../test/harness/dialects.js';
import { toDbTimestamp } from '../../platform/db/timestamps.js';
import { cellMigrations } from './cell-migrations.js';
import type { CellDatabase } from './cell-tables.js';

forEachDialect('compute cell schema', (ctx) => {
  test('stores an instance with metadata, tags, a fault and an action event', async () => {
    const database = await ctx.open({ migrations: [cellMigrations] });
    const db = database.kysely as Kysely<CellDatabase>;
    const now = toDbTimestamp(Date.now());
    const { id } = await db
      .insertInto('instances')
      .values({
        ...newInstanceRow('11111111-1111-1111-1111-111111111111'),
        created_at: now,
        deleted: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    assert.ok(id > 0);
    const uuid = '11111111-1111-1111-1111-111111111111';
    await db
      .insertInto('instance_metadata')
      .values({ instance_uuid: uuid, key: 'k', value: 'v' })
      .execute();
    await db.insertInto('tags').values({ resource_id: uuid, tag: 't1' }).execute();
    await db
      .insertInto('instance_faults')
      .values({
        instance_uuid: uuid,
        code: 500,
        message: 'boom',
        details: null,
        host: null,
        created_at: now,
      })
      .execute();
    const action = await db
      .insertInto('instance_actions')
      .values({
        action: 'create',
        instance_uuid: uuid,
        request_id: 'req-1',
        user_id: 'u',
        project_id: 'p',
        start_time: now,
        finish_time: null,
        message: null,
        created_at: now,
        updated_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('instance_actions_events')
      .values({
        action_id: action.id,
        event: 'conductor_schedule_and_build_instances',
        start_time: now,
        finish_time: null,
        result: null,
        traceback: null,
        host: null,
        details: null,
        created_at: now,
        updated_at: null,
      })
      .execute();
    const row = await db
      .selectFrom('instances')
      .select(['vm_state', 'task_state'])
      .where('uuid', '=', uuid)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { vm_state: 'building', task_state: 'scheduling' });
    // Metadata goes with its instance.
    await db.deleteFrom('instances').where('uuid', '=', uuid).execute();
    assert.equal((await db.selectFrom('instance_metadata').selectAll().execute()).length, 0);
  });
});
