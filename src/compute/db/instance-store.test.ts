import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newInstanceRow } from '../../../test/harness/compute-fixtures.js';
import { forEachDialect } from '../../../test/harness/dialects.js';
import { toDbTimestamp } from '../../platform/db/timestamps.js';
import { ActionStore } from './action-store.js';
import { cellMigrations } from './cell-migrations.js';
import { InstanceStore, UnexpectedTaskStateError } from './instance-store.js';

forEachDialect('instance store', (ctx) => {
  test('updates only from the expected task state, atomically', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const clock = { now: () => t };
    const store = new InstanceStore(await ctx.open({ migrations: [cellMigrations] }), clock);
    const uuid = 'a0000000-0000-0000-0000-000000000001';
    await store.create(newInstanceRow(uuid), { role: 'web' }, ['t1', 't1', 't2']);
    const spawning = await store.update(
      uuid,
      { task_state: 'spawning', host: 'h1' },
      { expectedTaskState: ['scheduling'] },
    );
    assert.equal(spawning.task_state, 'spawning');
    await assert.rejects(
      store.update(uuid, { task_state: 'deleting' }, { expectedTaskState: ['scheduling'] }),
      (err: unknown) =>
        err instanceof UnexpectedTaskStateError && /Actual: spawning/.test(err.message),
    );
    const active = await store.update(
      uuid,
      { vm_state: 'active', task_state: null },
      { expectedTaskState: ['spawning'] },
    );
    assert.equal(active.vm_state, 'active');
    await store.update(uuid, { task_state: 'rebooting' }, { expectedTaskState: [null] });
    assert.deepEqual(
      (await store.listByHost('h1')).map((i) => i.uuid),
      [uuid],
    );

    await store.addFault(uuid, { code: 500, message: 'x'.repeat(300) });
    t += 1000;
    await store.addFault(uuid, { code: 500, message: 'latest' });
    assert.equal((await store.latestFault(uuid))?.message, 'latest');

    await store.update(uuid, { task_deadline: toDbTimestamp(t + 5000) });
    assert.equal((await store.listOverdue(toDbTimestamp(t))).length, 0);
    assert.equal((await store.listOverdue(toDbTimestamp(t + 6000))).length, 1);

    await store.softDelete(uuid);
    await assert.rejects(store.get(uuid), /could not be found/);
    assert.equal((await store.get(uuid, { includeDeleted: true })).vm_state, 'deleted');
  });

  test('records actions and their events with results', async () => {
    const database = await ctx.open({ migrations: [cellMigrations] });
    const clock = { now: () => Date.now() };
    const store = new InstanceStore(database, clock);
    const actions = new ActionStore(database, clock);
    const uuid = 'a0000000-0000-0000-0000-000000000002';
    await store.create(newInstanceRow(uuid));
    await actions.start(uuid, 'create', { requestId: 'req-a', userId: 'u', projectId: 'p' });
    await actions.startEvent(uuid, 'req-a', 'compute__do_build_and_run_instance', 'h1');
    await actions.finishEvent(uuid, 'req-a', 'compute__do_build_and_run_instance', {
      ok: false,
      message: 'boom',
    });
    await actions.startEvent(uuid, 'req-unknown', 'x', null);
    const rows = await database.kysely.selectFrom('instance_actions_events').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.result, 'Error');
    const action = await database.kysely
      .selectFrom('instance_actions')
      .selectAll()
      .executeTakeFirstOrThrow();
    assert.equal(action.message, 'Error');
  });
});
