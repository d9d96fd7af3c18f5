import assert from 'node:assert/strict';
import { it } from 'node:test';
import { apiDbMigrations } from '../../src/compute/api-db-migrations.js';
import { FlavorStore } from '../../src/compute/api/store/flavor-store.js';
import { forEachDialect } from '../harness/dialects.js';
import { TestClock } from './harness/compute-api-app.js';

const admin = { isAdmin: true, projectId: null };

forEachDialect('compute API flavor store', (ctx) => {
  const open = async () =>
    new FlavorStore(await ctx.open({ migrations: [apiDbMigrations] }), new TestClock());
  const flavor = (id: string, name = id) => ({
    flavorid: id,
    name,
    memoryMb: 64,
    vcpus: 1,
    rootGb: 1,
    ephemeralGb: 0,
    swap: 0,
    rxtxFactor: 1.5,
    isPublic: true,
    description: null,
  });

  it('seeds the devstack flavors once', async () => {
    const store = await open();
    const all = await store.list(
      admin,
      { isPublic: null },
      { sortKey: 'flavorid', sortDir: 'asc', limit: 100 },
    );
    assert.deepEqual(
      all.map((f) => f.flavorid),
      ['1', '2', '3', '4', '42', '5', '84', 'c1', 'd1', 'd2', 'd3', 'd4'],
    );
  });

  it('creates, reads back floats and timestamps, and refuses duplicates', async () => {
    const store = await open();
    const f = await store.create(flavor('x1'));
    assert.equal(f.rxtxFactor, 1.5);
    assert.equal(f.createdAt, '2026-01-02T03:04:05.000000Z');
    await assert.rejects(store.create(flavor('x1', 'other')), /Flavor with ID x1 already exists/);
    await assert.rejects(store.create(flavor('x2', 'x1')), /Flavor with name x1 already exists/);
  });

  it('keeps extra specs and access lists, and removes them with the flavor', async () => {
    const store = await open();
    const f = await store.create({ ...flavor('p1'), isPublic: false });
    await store.setExtraSpecs(f, { a: '1', b: '2' });
    await store.setExtraSpecs(f, { a: '3' });
    assert.deepEqual((await store.get('p1', admin)).extraSpecs, { a: '3', b: '2' });
    assert.equal(await store.addAccess(f, 'proj'), true);
    assert.equal(await store.addAccess(f, 'proj'), false);
    assert.deepEqual(await store.accessList(f), ['proj']);
    await assert.rejects(
      store.get('p1', { isAdmin: false, projectId: 'other' }),
      /could not be found/,
    );
    assert.equal((await store.get('p1', { isAdmin: false, projectId: 'proj' })).flavorid, 'p1');
    await store.delete('p1');
    await assert.rejects(store.get('p1', admin), /Flavor p1 could not be found/);
  });

  it('sorts by a key then id and pages after a marker', async () => {
    const store = await open();
    const page = { sortKey: 'memory_mb', sortDir: 'desc' as const, limit: 3 };
    const first = await store.list(admin, { isPublic: null }, page);
    // Ties on memory_mb go by internal id in the same direction: d4 (seeded last) first.
    assert.deepEqual(
      first.map((f) => f.flavorid),
      ['5', '4', 'd4'],
    );
    const next = await store.list(admin, { isPublic: null }, { ...page, marker: 'd4' });
    assert.deepEqual(
      next.map((f) => f.flavorid),
      ['3', 'd3', '2'],
    );
  });
});
