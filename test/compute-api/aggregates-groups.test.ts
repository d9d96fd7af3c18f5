import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServerGroupStore } from '../../src/compute/api/store/server-group-store.js';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { addComputeHost, addServer } from './harness/hosts.js';

describe('aggregates API', () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi();
    for (const h of ['c1', 'c2', 'busy']) await addComputeHost(api, h);
    await addServer(api, {
      uuid: '22222222-2222-4222-8222-222222222222',
      name: 'vm',
      projectId: 'p',
      host: 'busy',
    });
  });
  after(() => api.close());

  const create = (name: string, availability_zone?: string) =>
    api.request('POST', '/v2.1/os-aggregates', {
      body: { aggregate: { name, ...(availability_zone ? { availability_zone } : {}) } },
    });
  const action = (id: number, body: unknown) =>
    api.request('POST', `/v2.1/os-aggregates/${id}/action`, { body });

  it('refuses duplicate names, bad ids, unknown hosts and aggregates', async () => {
    const a = await create('a1');
    assert.equal((await create('a1')).status, 409);
    assert.equal((await api.request('GET', '/v2.1/os-aggregates/x')).status, 400);
    assert.equal((await api.request('GET', '/v2.1/os-aggregates/999')).status, 404);
    const unknown = await action(a.body.aggregate.id, { add_host: { host: 'nowhere' } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.itemNotFound.message, 'Compute host nowhere could not be found.');
    const twice = await action(a.body.aggregate.id, { add_host: { host: 'c1' } }).then(() =>
      action(a.body.aggregate.id, { add_host: { host: 'c1' } }),
    );
    assert.equal(twice.status, 409);
    const notThere = await action(a.body.aggregate.id, { remove_host: { host: 'c2' } });
    assert.equal(notThere.status, 404);
    const full = await api.request('DELETE', `/v2.1/os-aggregates/${a.body.aggregate.id}`);
    assert.equal(full.status, 400);
    assert.match(full.body.badRequest.message, /Host aggregate is not empty/);
  });

  it('keeps a host in one availability zone', async () => {
    const z1 = await create('zone1', 'z1');
    const z2 = await create('zone2', 'z2');
    await action(z1.body.aggregate.id, { add_host: { host: 'c2' } });
    const clash = await action(z2.body.aggregate.id, { add_host: { host: 'c2' } });
    assert.equal(clash.status, 409);
    assert.match(
      clash.body.conflictingRequest.message,
      /One or more hosts already in availability zone\(s\) \['z1'\]/,
    );
    const rename = await action(z1.body.aggregate.id, {
      set_metadata: { metadata: { availability_zone: 'z2' } },
    });
    assert.equal(rename.status, 200, 'c2 is in no other zoned aggregate');
    const empty = await api.request('PUT', `/v2.1/os-aggregates/${z1.body.aggregate.id}`, {
      body: { aggregate: { availability_zone: null } },
    });
    assert.equal(empty.status, 400);
    assert.match(empty.body.badRequest.message, /does not support empty named availability zone/);
  });

  it('keeps hosts with servers from changing zone', async () => {
    const z = await create('zbusy', 'elsewhere');
    const r = await action(z.body.aggregate.id, { add_host: { host: 'busy' } });
    assert.equal(r.status, 409);
    assert.match(r.body.conflictingRequest.message, /the host already has 1 instance\(s\)/);
    const plain = await create('plain');
    assert.equal(
      (await action(plain.body.aggregate.id, { add_host: { host: 'busy' } })).status,
      200,
    );
    const zoned = await action(plain.body.aggregate.id, {
      set_metadata: { metadata: { availability_zone: 'x' } },
    });
    assert.equal(zoned.status, 400);
    assert.match(zoned.body.badRequest.message, /One or more hosts contain instances in this zone/);
  });

  it('deletes metadata keys set to null and strips names', async () => {
    const a = await create('meta');
    const id = a.body.aggregate.id;
    await action(id, { set_metadata: { metadata: { k1: 'v1', k2: 'v2' } } });
    const r = await action(id, { set_metadata: { metadata: { k1: null } } });
    assert.deepEqual(r.body.aggregate.metadata, { k2: 'v2' });
    const legacy = await api.request('POST', '/v2/os-aggregates', {
      body: { aggregate: { name: '  spaced  ' } },
    });
    assert.equal(legacy.body.aggregate.name, 'spaced');
    const strict = await api.request('POST', '/v2.1/os-aggregates', {
      body: { aggregate: { name: ' spaced' } },
    });
    assert.equal(strict.status, 400);
  });

  it('takes image cache requests from 2.81 only, without duplicates', async () => {
    const a = await create('imgs');
    const url = `/v2.1/os-aggregates/${a.body.aggregate.id}/images`;
    const id = '70a599e0-31e7-49b7-b260-868f441e862b';
    assert.equal(
      (await api.request('POST', url, { version: '2.80', body: { cache: [{ id }] } })).status,
      404,
    );
    const dup = await api.request('POST', url, {
      version: '2.81',
      body: { cache: [{ id }, { id }] },
    });
    assert.equal(dup.body.badRequest.message, 'Duplicate images in request');
    const bad = await api.request('POST', url, {
      version: '2.81',
      body: { cache: [{ id: 'nope' }] },
    });
    assert.equal(bad.status, 400);
  });

  it('is for admins only', async () => {
    assert.equal((await api.request('GET', '/v2.1/os-aggregates', { token: 'u:p' })).status, 403);
  });
});

describe('server groups API', () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi({ config: { quota: { server_groups: '2' } } });
  });
  after(() => api.close());

  const create = (body: unknown, token = 'u:p1', version = '2.64') =>
    api.request('POST', '/v2.1/os-server-groups', { token, version, body: { server_group: body } });

  it('accepts soft policies from 2.15 and rules for anti-affinity from 2.64', async () => {
    const early = await create({ name: 'g', policies: ['soft-affinity'] }, 'u:p0', '2.14');
    assert.equal(early.status, 400);
    const v215 = await create({ name: 'g', policies: ['soft-affinity'] }, 'u:p0', '2.15');
    assert.deepEqual(v215.body.server_group.policies, ['soft-affinity']);
    const rules = await create(
      { name: 'g', policy: 'affinity', rules: { max_server_per_host: 2 } },
      'u:p0',
    );
    assert.equal(rules.body.badRequest.message, 'Only anti-affinity policy supports rules.');
    const ok = await create(
      { name: 'g2', policy: 'anti-affinity', rules: { max_server_per_host: '2' } },
      'u:p0',
    );
    assert.deepEqual(ok.body.server_group.rules, { max_server_per_host: 2 });
    const zero = await create(
      { name: 'g3', policy: 'anti-affinity', rules: { max_server_per_host: 0 } },
      'u:p0',
    );
    assert.equal(zero.status, 400);
  });

  it('enforces the server_groups quota', async () => {
    assert.equal((await create({ name: 'a', policy: 'affinity' })).status, 200);
    assert.equal((await create({ name: 'b', policy: 'affinity' })).status, 200);
    const third = await create({ name: 'c', policy: 'affinity' });
    assert.equal(third.status, 403);
    assert.equal(third.body.forbidden.message, 'Quota exceeded, too many server groups.');
  });

  it("hides other projects' groups (404) and lists all projects for admins", async () => {
    const mine = await api.request('GET', '/v2.1/os-server-groups', { token: 'u:p1' });
    const id = mine.body.server_groups[0].id;
    assert.equal(
      (await api.request('GET', `/v2.1/os-server-groups/${id}`, { token: 'u:p2' })).status,
      404,
    );
    assert.equal(
      (await api.request('DELETE', `/v2.1/os-server-groups/${id}`, { token: 'u:p2' })).status,
      404,
    );
    assert.equal(
      (await api.request('GET', `/v2.1/os-server-groups/${id}`)).status,
      200,
      'admins see every group',
    );
    const own = await api.request('GET', '/v2.1/os-server-groups');
    assert.equal(own.body.server_groups.length, 0, 'admins list their own project by default');
    const all = await api.request('GET', '/v2.1/os-server-groups?all_projects=1');
    assert.equal(all.body.server_groups.length, 4);
    const paged = await api.request(
      'GET',
      '/v2.1/os-server-groups?all_projects=1&limit=1&offset=1',
    );
    assert.equal(paged.body.server_groups.length, 1);
  });

  it('shows only members that still exist', async () => {
    const g = await create({ name: 'members', policy: 'anti-affinity' }, 'u:p3');
    const id = g.body.server_group.id;
    const groups = new ServerGroupStore(api.apiDb, api.clock);
    await addServer(api, {
      uuid: '33333333-3333-4333-8333-333333333333',
      name: 'a',
      projectId: 'p3',
    });
    await addServer(api, {
      uuid: '44444444-4444-4444-8444-444444444444',
      name: 'b',
      projectId: 'p3',
      deleted: true,
    });
    await groups.addMembers(id, [
      '33333333-3333-4333-8333-333333333333',
      '44444444-4444-4444-8444-444444444444',
    ]);
    const r = await api.request('GET', `/v2.1/os-server-groups/${id}`, { token: 'u:p3' });
    assert.deepEqual(r.body.server_group.members, ['33333333-3333-4333-8333-333333333333']);
  });
});
