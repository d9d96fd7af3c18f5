import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../../test/harness/dialects.js';
import { ServiceRegistry, serviceRegistryMigrations } from './service-registry.js';

forEachDialect('service registry', (ctx) => {
  test('registers on the first heartbeat, counts later ones, and reports liveness', async () => {
    const db = await ctx.open({ migrations: [serviceRegistryMigrations] });
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = { now: () => now };
    let n = 0;
    const ids = { uuid: () => `00000000-0000-0000-0000-00000000000${n++}` };
    const registry = new ServiceRegistry(db, clock, ids, 60);

    const first = await registry.report({
      host: 'h1',
      binary: 'stratus-compute',
      topic: 'compute',
    });
    assert.equal(first.reportCount, 1);
    assert.equal(first.up, true);
    now += 10_000;
    const second = await registry.report({
      host: 'h1',
      binary: 'stratus-compute',
      topic: 'compute',
    });
    assert.equal(second.reportCount, 2);
    assert.equal(second.uuid, first.uuid);
    await registry.report({ host: 'h2', binary: 'stratus-compute', topic: 'compute' });

    now += 61_000;
    const listed = await registry.list({ binary: 'stratus-compute' });
    assert.deepEqual(
      listed.map((s) => [s.host, s.up]),
      [
        ['h1', false],
        ['h2', false],
      ],
    );
    await registry.report({ host: 'h2', binary: 'stratus-compute', topic: 'compute' });
    assert.deepEqual(
      (await registry.list({ host: 'h2' })).map((s) => s.up),
      [true],
    );
  });

  test('disables with a reason, forces down, looks up by id or uuid, and deletes', async () => {
    const db = await ctx.open({ migrations: [serviceRegistryMigrations] });
    const clock = { now: () => Date.parse('2026-01-01T00:00:00Z') };
    const ids = { uuid: () => '11111111-2222-3333-4444-555555555555' };
    const registry = new ServiceRegistry(db, clock, ids, 60);
    const svc = await registry.report({ host: 'h1', binary: 'stratus-compute', topic: 'compute' });

    const disabled = await registry.update(svc.id, {
      disabled: true,
      disabledReason: 'maintenance',
    });
    assert.equal(disabled?.disabled, true);
    assert.equal(disabled?.disabledReason, 'maintenance');
    const down = await registry.update(svc.id, { forcedDown: true });
    assert.equal(down?.forcedDown, true);
    assert.equal(down?.up, false);
    assert.equal(down?.disabledReason, 'maintenance', 'fields not named are left alone');
    assert.equal((await registry.get(svc.uuid))?.id, svc.id);
    assert.equal((await registry.get(svc.id))?.uuid, svc.uuid);
    assert.equal(await registry.update(999, { disabled: false }), undefined);
    assert.equal(await registry.delete(svc.id), true);
    assert.equal(await registry.get(svc.id), undefined);
    assert.equal(await registry.delete(svc.id), false);
  });
});
