import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';

describe('flavors API', () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi({ config: { api: { max_limit: '5' } } });
  });
  after(() => api.close());

  const create = (flavor: Record<string, unknown>, version?: string) =>
    api.request('POST', '/v2.1/flavors', { body: { flavor }, ...(version ? { version } : {}) });

  it('seeds the devstack flavors', async () => {
    for (const [id, name] of [
      ['1', 'm1.tiny'],
      ['5', 'm1.xlarge'],
      ['42', 'm1.nano'],
      ['d2', 'ds1G'],
    ]) {
      const r = await api.request('GET', `/v2.1/flavors/${id}`);
      assert.equal(r.body.flavor.name, name);
    }
  });

  it('creates with a given id, a numeric id, and an automatic UUID', async () => {
    const named = await create({ name: 'given', id: 'given-id', ram: '256', vcpus: 1, disk: 0 });
    assert.equal(named.body.flavor.id, 'given-id');
    assert.equal(named.body.flavor.ram, 256);
    const numeric = await create({ name: 'numeric', id: 777, ram: 1, vcpus: 1, disk: 0 });
    assert.equal(numeric.body.flavor.id, '777');
    const auto = await create({ name: 'auto', ram: 1, vcpus: 1, disk: 0 });
    assert.match(auto.body.flavor.id, /^[0-9a-f-]{36}$/);
  });

  it('shows swap as "" below 2.75 and as an integer from 2.75', async () => {
    const old = await api.request('GET', '/v2.1/flavors/1', { version: '2.74' });
    assert.equal(old.body.flavor.swap, '');
    assert.equal(old.body.flavor.rxtx_factor, 1);
    const v275 = await api.request('GET', '/v2.1/flavors/1', { version: '2.75' });
    assert.equal(v275.body.flavor.swap, 0);
    const v2102 = await api.request('GET', '/v2.1/flavors/1', { version: '2.102' });
    assert.equal('rxtx_factor' in v2102.body.flavor, false);
    assert.equal('OS-FLV-DISABLED:disabled' in v2102.body.flavor, false);
  });

  it('refuses duplicate names and ids with 409', async () => {
    const dupName = await create({ name: 'm1.tiny', ram: 1, vcpus: 1, disk: 0 });
    assert.equal(dupName.status, 409);
    assert.equal(
      dupName.body.conflictingRequest.message,
      'Flavor with name m1.tiny already exists.',
    );
    const dupId = await create({ name: 'other', id: '1', ram: 1, vcpus: 1, disk: 0 });
    assert.equal(dupId.body.conflictingRequest.message, 'Flavor with ID 1 already exists.');
  });

  it('validates bodies with upstream messages', async () => {
    const zero = await create({ name: 'z', ram: 0, vcpus: 1, disk: 0 });
    assert.equal(zero.status, 400);
    assert.equal(
      zero.body.badRequest.message,
      'Invalid input for field/attribute ram. Value: 0. 0 is less than the minimum of 1',
    );
    const type = await create({ name: 'z', ram: 'lots', vcpus: 1, disk: 0 });
    assert.match(
      type.body.badRequest.message,
      /^Invalid input for field\/attribute ram\. Value: lots\./,
    );
    const extra = await create({ name: 'z', ram: 1, vcpus: 1, disk: 0, colour: 'red' });
    assert.match(
      extra.body.badRequest.message,
      /Additional properties are not allowed \('colour' was unexpected\)/,
    );
    const name = await create({ name: ' lead', ram: 1, vcpus: 1, disk: 0 });
    assert.match(name.body.badRequest.message, /^An invalid 'name' value was provided/);
    const desc = await create({ name: 'd', ram: 1, vcpus: 1, disk: 0, description: 'x' }, '2.54');
    assert.equal(desc.status, 400);
    const rxtx = await create({ name: 'r', ram: 1, vcpus: 1, disk: 0, rxtx_factor: 2 }, '2.102');
    assert.equal(rxtx.status, 400);
  });

  it('strips legacy v2 extras instead of rejecting them', async () => {
    const r = await api.request('POST', '/v2/flavors', {
      body: { flavor: { name: ' legacy ', ram: 1, vcpus: 1, disk: 0, colour: 'red' } },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.flavor.name, 'legacy');
  });

  it('keeps private flavors from other projects (404) and lists them for their projects', async () => {
    await create({
      name: 'private',
      id: 'priv',
      ram: 1,
      vcpus: 1,
      disk: 0,
      'os-flavor-access:is_public': false,
    });
    const hidden = await api.request('GET', '/v2.1/flavors/priv', { token: 'u:p1' });
    assert.equal(hidden.status, 404);
    await api.request('POST', '/v2.1/flavors/priv/action', {
      body: { addTenantAccess: { tenant: 'p1' } },
    });
    const shown = await api.request('GET', '/v2.1/flavors/priv', { token: 'u:p1' });
    assert.equal(shown.status, 200);
    const listed = await api.request('GET', '/v2.1/flavors?minRam=0&sort_key=name&sort_dir=desc', {
      token: 'u:p1',
    });
    assert.ok(listed.body.flavors.some((f: any) => f.id === 'priv'));
    const admin = await api.request('GET', '/v2.1/flavors?is_public=false&limit=100');
    assert.deepEqual(
      admin.body.flavors.map((f: any) => f.id),
      ['priv'],
    );
    const all = await api.request('GET', '/v2.1/flavors?is_public=None&limit=100');
    assert.ok(all.body.flavors.length > 1);
    const bad = await api.request('GET', '/v2.1/flavors?is_public=maybe');
    assert.equal(bad.status, 400);
  });

  it('leaves flavor management to admins (403 with the policy name)', async () => {
    const r = await create({ name: 'nope', ram: 1, vcpus: 1, disk: 0 }).then(() =>
      api.request('POST', '/v2.1/flavors', {
        token: 'u:p1',
        body: { flavor: { name: 'nope2', ram: 1, vcpus: 1, disk: 0 } },
      }),
    );
    assert.equal(r.status, 403);
    assert.equal(
      r.body.forbidden.message,
      "Policy doesn't allow os_compute_api:os-flavor-manage:create to be performed.",
    );
    const del = await api.request('DELETE', '/v2.1/flavors/1', { token: 'u:p1' });
    assert.equal(del.status, 403);
  });

  it('pages with limit and marker, capped at max_limit, with a next link', async () => {
    const first = await api.request(
      'GET',
      '/v2.1/flavors?sort_key=memory_mb&sort_dir=desc&limit=2',
    );
    assert.equal(first.body.flavors.length, 2);
    const next = first.body.flavors_links[0].href as string;
    assert.match(next, /limit=2/);
    assert.match(next, /marker=/);
    const second = await api.request('GET', next.replace(/^http:\/\/[^/]+/, ''));
    assert.equal(second.body.flavors.length, 2);
    assert.notEqual(second.body.flavors[0].id, first.body.flavors[1].id);
    const capped = await api.request('GET', '/v2.1/flavors?limit=50');
    assert.equal(capped.body.flavors.length, 5);
    assert.ok(capped.body.flavors_links);
    const badMarker = await api.request('GET', '/v2.1/flavors?marker=nope');
    assert.equal(badMarker.status, 400);
    assert.equal(badMarker.body.badRequest.message, 'marker [nope] not found');
  });

  it('filters by minRam and minDisk, and by name from 2.102', async () => {
    const r = await api.request('GET', '/v2.1/flavors/detail?minRam=8192&minDisk=80&limit=100');
    assert.ok(r.body.flavors.every((f: any) => f.ram >= 8192 && f.disk >= 80));
    assert.ok(r.body.flavors.length >= 2);
    const bad = await api.request('GET', '/v2.1/flavors?minRam=lots');
    assert.equal(bad.body.badRequest.message, 'Invalid minRam filter [lots]');
    const named = await api.request('GET', '/v2.1/flavors?name=^m1\\.(tiny|small)$', {
      version: '2.102',
    });
    assert.deepEqual(named.body.flavors.map((f: any) => f.name).sort(), ['m1.small', 'm1.tiny']);
    // Before 2.75 unknown parameters are dropped; from 2.75 they are errors.
    const ignored = await api.request('GET', '/v2.1/flavors?name=zzz&limit=100', {
      version: '2.74',
    });
    assert.ok(ignored.body.flavors.length > 2);
    const refused = await api.request('GET', '/v2.1/flavors?name=zzz', { version: '2.75' });
    assert.equal(refused.status, 400);
  });

  it('updates descriptions from 2.55 and deletes with 202', async () => {
    await create({ name: 'gone', id: 'gone', ram: 1, vcpus: 1, disk: 0 });
    const upd = await api.request('PUT', '/v2.1/flavors/gone', {
      version: '2.55',
      body: { flavor: { description: 'soon gone' } },
    });
    assert.equal(upd.body.flavor.description, 'soon gone');
    const del = await api.request('DELETE', '/v2.1/flavors/gone');
    assert.equal(del.status, 202);
    assert.equal(del.text, '');
    const again = await api.request('DELETE', '/v2.1/flavors/gone');
    assert.equal(again.status, 404);
    assert.equal(again.body.itemNotFound.message, 'Flavor gone could not be found.');
  });

  it('validates known extra specs from 2.86 only', async () => {
    const bad = { extra_specs: { 'hw:cpu_policy': 'sometimes' } };
    const old = await api.request('POST', '/v2.1/flavors/2/os-extra_specs', {
      version: '2.85',
      body: bad,
    });
    assert.equal(old.status, 200);
    const v286 = await api.request('POST', '/v2.1/flavors/2/os-extra_specs', {
      version: '2.86',
      body: bad,
    });
    assert.equal(v286.status, 400);
    assert.equal(
      v286.body.badRequest.message,
      "Validation failed; 'sometimes' is not one of: dedicated, shared, mixed.",
    );
    const unknown = await api.request('POST', '/v2.1/flavors/2/os-extra_specs', {
      version: '2.86',
      body: {
        extra_specs: {
          'hw:no_such_thing': '1',
          'mine:anything': 'x',
          'trait:CUSTOM_X': 'required',
        },
      },
    });
    assert.equal(unknown.status, 400);
    assert.match(
      unknown.body.badRequest.message,
      /'hw:no_such_thing' does not appear to be a valid extra spec/,
    );
    const fine = await api.request('POST', '/v2.1/flavors/2/os-extra_specs', {
      version: '2.86',
      body: {
        extra_specs: { 'hw:numa_cpus.0': '0-3', 'quota:cpu_period': 2000, 'mine:anything': 'x' },
      },
    });
    assert.equal(fine.status, 200, fine.text);
    const detail = await api.request('GET', '/v2.1/flavors/2', { version: '2.61' });
    assert.equal(detail.body.flavor.extra_specs['quota:cpu_period'], '2000');
    const mismatch = await api.request('PUT', '/v2.1/flavors/2/os-extra_specs/a', {
      body: { b: '1' },
    });
    assert.equal(mismatch.body.badRequest.message, 'Request body and URI mismatch');
    const missing = await api.request('DELETE', '/v2.1/flavors/2/os-extra_specs/nope');
    assert.equal(missing.status, 404);
    const member = await api.request('GET', '/v2.1/flavors/2', { version: '2.61', token: 'u:p9' });
    assert.ok(member.body.flavor.extra_specs, 'project readers may see extra specs');
  });

  it('answers unknown flavor actions with 400', async () => {
    const r = await api.request('POST', '/v2.1/flavors/1/action', { body: { explode: {} } });
    assert.equal(r.status, 400);
    assert.equal(r.body.badRequest.message, 'There is no such action: explode');
    const two = await api.request('POST', '/v2.1/flavors/1/action', { body: { a: 1, b: 2 } });
    assert.equal(two.body.badRequest.message, 'Malformed request body');
  });
});
