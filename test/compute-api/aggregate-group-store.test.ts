import assert from 'node:assert/strict';
import { it } from 'node:test';
import { apiDbMigrations } from '../../src/compute/api-db-migrations.js';
import { AggregateStore } from '../../src/compute/api/store/aggregate-store.js';
import { ServerGroupStore } from '../../src/compute/api/store/server-group-store.js';
import { forEachDialect } from '../harness/dialects.js';
import { TestClock } from './harness/compute-api-app.js';

let n = 0;
const ids = { uuid: () => `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}` };

forEachDialect('compute API aggregate and server group stores', (ctx) => {
  it('keeps aggregates with hosts and metadata, unique by name', async () => {
    const store = new AggregateStore(
      await ctx.open({ migrations: [apiDbMigrations] }),
      new TestClock(),
      ids,
    );
    const a = await store.create('a', 'az1');
    assert.deepEqual(a.metadata, { availability_zone: 'az1' });
    await assert.rejects(store.create('a', null), /Aggregate a already exists/);
    await store.addHost(a.id, 'h1');
    await assert.rejects(store.addHost(a.id, 'h1'), /already has host h1/);
    await store.updateMetadata(a.id, { k: 'v', availability_zone: 'az2' });
    await store.updateMetadata(a.id, { k: null });
    const b = await store.create('b', null);
    await assert.rejects(store.rename(b.id, 'a'), /Aggregate a already exists/);
    const got = await store.get(a.id);
    assert.deepEqual([got.hosts, got.metadata], [['h1'], { availability_zone: 'az2' }]);
    assert.deepEqual(
      (await store.byHost('h1')).map((x) => x.name),
      ['a'],
    );
    assert.equal(await store.removeHost(a.id, 'h1'), true);
    await store.delete(a.id);
    await assert.rejects(store.get(a.id), /could not be found/);
  });

  it('keeps server groups with their policy, rules and members', async () => {
    const store = new ServerGroupStore(
      await ctx.open({ migrations: [apiDbMigrations] }),
      new TestClock(),
    );
    const g = await store.create({
      uuid: ids.uuid(),
      name: 'g',
      projectId: 'p',
      userId: 'u',
      policy: 'anti-affinity',
      rules: { max_server_per_host: 2 },
    });
    await store.addMembers(g.uuid, ['m1', 'm2', 'm1']);
    const got = await store.get(g.uuid);
    assert.deepEqual(
      [got.policy, got.rules, got.members],
      ['anti-affinity', { max_server_per_host: 2 }, ['m1', 'm2']],
    );
    assert.equal((await store.list('p')).length, 1);
    assert.equal((await store.list('q')).length, 0);
    await store.delete(g.uuid);
    await assert.rejects(store.get(g.uuid), /could not be found/);
  });
});
