import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../../test/harness/dialects.js';
import { toDbTimestamp } from '../../platform/db/timestamps.js';
import { ActionStore } from './action-store.js';
import { cellMigrations } from './cell-migrations.js';
import { InstanceStore, UnexpectedTaskStateError } from './instance-store.js';

// A minimal new-instance row for these tests.
function newInstance(uuid: string, overrides: Record<string, unknown> = {}) {
  return {
    uuid,
    user_id: 'u',
    project_id: 'p',
    image_ref: 'img',
    hostname: 'vm',
    launch_index: 0,
    key_name: null,
    key_data: null,
    power_state: 0,
    vm_state: 'building',
    task_state: 'scheduling',
    memory_mb: 512,
    vcpus: 1,
    root_gb: 1,
    ephemeral_gb: 0,
    swap_mb: 0,
    host: null,
    node: null,
    flavor_id: '1',
    flavor: '{}',
    user_data: null,
    reservation_id: 'r-1',
    launched_at: null,
    terminated_at: null,
    availability_zone: null,
    display_name: 'vm',
    display_description: null,
    launched_on: null,
    locked: 0 as const,
    locked_by: null,
    locked_reason: null,
    access_ip_v4: null,
    access_ip_v6: null,
    config_drive: '',
    progress: 0,
    root_device_name: null,
    image_meta: '{}',
    trusted_certs: null,
    network_info: '[]',
    task_deadline: null,
    ...overrides,
  };
}

forEachDialect('instance store', (ctx) => {
  test('updates only from the expected task state, atomically', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const clock = { now: () => t };
    const store = new InstanceStore(await ctx.open({ migrations: [cellMigrations] }), clock);
    const uuid = 'a0000000-0000-0000-0000-000000000001';
    await store.create(newInstance(uuid), { role: 'web' }, ['t1', 't1', 't2']);
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
    await store.create(newInstance(uuid));
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
