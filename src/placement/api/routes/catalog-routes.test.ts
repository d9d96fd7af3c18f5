import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDialect } from '../../../../test/harness/dialects.js';
import { STANDARD_RESOURCE_CLASSES, STANDARD_TRAITS } from '../../standard-catalog.js';
import { startPlacementTestApp, type PlacementTestApp } from '../../testing/placement-test-app.js';

const RP = '44d6b0e3-6b3e-4a9e-8a0e-9a2d7c1a6f10';

forEachDialect('placement traits and resource classes', (dialect) => {
  let t: PlacementTestApp;
  before(async () => {
    t = await startPlacementTestApp(dialect);
  });
  after(() => t.close());
  const v = { version: '1.6' };

  it('lists the standard traits and resource classes, in upstream order for classes', async () => {
    const traits = await t.request('GET', '/traits', v);
    assert.equal(traits.json.traits.length, STANDARD_TRAITS.length);
    const rcs = await t.request('GET', '/resource_classes', { version: '1.2' });
    assert.deepEqual(
      rcs.json.resource_classes.map((r: any) => r.name),
      STANDARD_RESOURCE_CLASSES,
    );
    assert.deepEqual(rcs.json.resource_classes[0].links, [
      { rel: 'self', href: '/resource_classes/VCPU' },
    ]);
    assert.equal((await t.request('GET', '/traits', { version: '1.5' })).status, 404);
    assert.equal((await t.request('GET', '/resource_classes', { version: '1.1' })).status, 404);
  });

  it('creates custom traits idempotently and rejects bad names', async () => {
    assert.equal((await t.request('PUT', '/traits/TRAIT_X', v)).status, 400);
    assert.equal((await t.request('PUT', '/traits/CUSTOM_ABC:1', v)).status, 400);
    assert.equal((await t.request('PUT', `/traits/CUSTOM_${'A'.repeat(250)}`, v)).status, 400);
    assert.equal(
      (await t.request('PUT', '/traits/CUSTOM_TRAIT_1', { version: '1.5' })).status,
      404,
    );
    const created = await t.request('PUT', '/traits/CUSTOM_TRAIT_1', v);
    assert.equal(created.status, 201);
    assert.equal(created.headers.location, '/traits/CUSTOM_TRAIT_1');
    assert.equal((await t.request('PUT', '/traits/CUSTOM_TRAIT_1', v)).status, 204);
    const shown = await t.request('GET', '/traits/CUSTOM_TRAIT_1', { version: '1.15' });
    assert.equal(shown.status, 204);
    assert.equal(shown.headers['cache-control'], 'no-cache');
    assert.equal((await t.request('GET', '/traits/NON_EXISTED', v)).status, 404);
    await t.request('PUT', '/traits/CUSTOM_TRAIT_2', v);
    await t.request('PUT', '/traits/CUSTOM_ANOTHER_TRAIT', v);
    const inList = await t.request('GET', '/traits?name=in:CUSTOM_TRAIT_1,CUSTOM_TRAIT_2', v);
    assert.deepEqual(inList.json.traits.sort(), ['CUSTOM_TRAIT_1', 'CUSTOM_TRAIT_2']);
    const prefix = await t.request('GET', '/traits?name=startswith:CUSTOM_TRAIT', v);
    assert.deepEqual(prefix.json.traits.sort(), ['CUSTOM_TRAIT_1', 'CUSTOM_TRAIT_2']);
    assert.equal((await t.request('GET', '/traits?name=in_abc', v)).status, 400);
    assert.equal((await t.request('GET', '/traits?invalid=abc', v)).status, 400);
    assert.equal((await t.request('GET', '/traits?associated=xyz', v)).status, 400);
  });

  it('sets provider traits with generations, and protects used and standard traits', async () => {
    await t.request('POST', '/resource_providers', { body: { name: 'rp', uuid: RP } });
    const url = `/resource_providers/${RP}/traits`;
    const empty = await t.request('GET', url, v);
    assert.deepEqual(empty.json, { traits: [], resource_provider_generation: 0 });
    const set = await t.request('PUT', url, {
      ...v,
      body: { traits: ['CUSTOM_TRAIT_1', 'CUSTOM_TRAIT_2'], resource_provider_generation: 0 },
    });
    assert.equal(set.status, 200);
    assert.equal(set.json.resource_provider_generation, 1);
    const same = await t.request('PUT', url, {
      ...v,
      body: { traits: ['CUSTOM_TRAIT_1', 'CUSTOM_TRAIT_2'], resource_provider_generation: 1 },
    });
    assert.equal(same.json.resource_provider_generation, 1);
    const stale = await t.request('PUT', url, {
      version: '1.23',
      body: { traits: [], resource_provider_generation: 5 },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.errors[0].code, 'placement.concurrent_update');
    const unknown = await t.request('PUT', url, {
      ...v,
      body: {
        traits: ['NON_EXISTED_TRAIT1', 'NON_EXISTED_TRAIT2', 'CUSTOM_TRAIT_1'],
        resource_provider_generation: 1,
      },
    });
    assert.equal(unknown.status, 400);
    assert.match(
      unknown.json.errors[0].detail,
      /No such trait NON_EXISTED_TRAIT1, NON_EXISTED_TRAIT2/,
    );
    assert.equal(
      (await t.request('PUT', url, { ...v, body: { traits: ['CUSTOM_TRAIT_1'] } })).status,
      400,
    );
    assert.equal(
      (
        await t.request('PUT', url, {
          ...v,
          body: { traits: [], resource_provider_generation: 1, x: 1 },
        })
      ).status,
      400,
    );
    assert.equal(
      (
        await t.request('PUT', '/resource_providers/non_existed/traits', {
          ...v,
          body: { traits: [], resource_provider_generation: 1 },
        })
      ).status,
      404,
    );
    const associated = await t.request('GET', '/traits?associated=true', v);
    assert.deepEqual(associated.json.traits.sort(), ['CUSTOM_TRAIT_1', 'CUSTOM_TRAIT_2']);
    const notAssociated = await t.request(
      'GET',
      '/traits?associated=false&name=startswith:CUSTOM_',
      v,
    );
    assert.deepEqual(notAssociated.json.traits, ['CUSTOM_ANOTHER_TRAIT']);
    const inUse = await t.request('DELETE', '/traits/CUSTOM_TRAIT_1', v);
    assert.equal(inUse.status, 409);
    const std = await t.request('DELETE', '/traits/HW_CPU_X86_SSE', v);
    assert.equal(std.status, 400);
    assert.match(std.json.errors[0].detail, /Cannot delete standard trait/);
    assert.equal((await t.request('DELETE', url, v)).status, 204);
    assert.equal((await t.request('GET', url, v)).json.resource_provider_generation, 2);
    assert.equal((await t.request('DELETE', '/traits/CUSTOM_TRAIT_1', v)).status, 204);
    assert.equal((await t.request('DELETE', '/traits/CUSTOM_TRAIT_1', v)).status, 404);
  });

  it('manages custom resource classes across microversions', async () => {
    const latest = { version: 'latest' };
    assert.equal(
      (await t.request('POST', '/resource_classes', { version: '1.1', body: { name: 'CUSTOM_X' } }))
        .status,
      404,
    );
    const created = await t.request('POST', '/resource_classes', {
      ...latest,
      body: { name: 'CUSTOM_NFV_FOO' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.location, '/resource_classes/CUSTOM_NFV_FOO');
    const dup = await t.request('POST', '/resource_classes', {
      ...latest,
      body: { name: 'CUSTOM_NFV_FOO' },
    });
    assert.equal(dup.status, 409);
    assert.match(dup.json.errors[0].detail, /Conflicting resource class already exists/);
    const bad = await t.request('POST', '/resource_classes', {
      ...latest,
      body: { name: 'IRON_NFV' },
    });
    assert.match(bad.json.errors[0].detail, /JSON does not validate/);
    const long = await t.request('POST', '/resource_classes', {
      ...latest,
      body: { name: `CUSTOM_${'S'.repeat(250)}` },
    });
    assert.match(long.json.errors[0].detail, /Failed validating 'maxLength'/);
    const extra = await t.request('POST', '/resource_classes', {
      ...latest,
      body: { name: 'CUSTOM_A', x: 1 },
    });
    assert.match(extra.json.errors[0].detail, /Additional properties are not allowed/);
    const shown = await t.request('GET', '/resource_classes/CUSTOM_NFV_FOO', latest);
    assert.equal(shown.json.name, 'CUSTOM_NFV_FOO');
    await t.request('POST', '/resource_classes', { ...latest, body: { name: 'CUSTOM_NFV_BAR' } });
    const v16 = { version: '1.6' };
    const std = await t.request('PUT', '/resource_classes/VCPU', {
      ...v16,
      body: { name: 'CUSTOM_VCPU' },
    });
    assert.match(std.json.errors[0].detail, /Cannot update standard resource class VCPU/);
    const taken = await t.request('PUT', '/resource_classes/CUSTOM_NFV_BAR', {
      ...v16,
      body: { name: 'CUSTOM_NFV_FOO' },
    });
    assert.equal(taken.status, 409);
    assert.match(taken.json.errors[0].detail, /Resource class already exists: CUSTOM_NFV_FOO/);
    const renamed = await t.request('PUT', '/resource_classes/CUSTOM_NFV_BAR', {
      ...v16,
      body: { name: 'CUSTOM_NFV_BAZ' },
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.json.name, 'CUSTOM_NFV_BAZ');
    const bodiless16 = await t.request('PUT', '/resource_classes/CUSTOM_COW', v16);
    assert.equal(bodiless16.status, 415);
    const v17 = { version: '1.7' };
    assert.equal((await t.request('PUT', '/resource_classes/CUSTOM_COW', v17)).status, 201);
    assert.equal((await t.request('PUT', '/resource_classes/CUSTOM_COW', v17)).status, 204);
    const notCustom = await t.request('PUT', '/resource_classes/VCPU', v17);
    assert.match(notCustom.json.errors[0].detail, /Failed validating 'pattern'/);
    const delStd = await t.request('DELETE', '/resource_classes/VCPU', latest);
    assert.match(delStd.json.errors[0].detail, /Cannot delete standard resource class/);
    await t.request('PUT', `/resource_providers/${RP}/inventories`, {
      body: { resource_provider_generation: 2, inventories: { CUSTOM_COW: { total: 1 } } },
    });
    const used = await t.request('DELETE', '/resource_classes/CUSTOM_COW', latest);
    assert.equal(used.status, 409);
    assert.match(used.json.errors[0].detail, /Class is in use in inventory/);
    assert.equal(
      (await t.request('DELETE', '/resource_classes/CUSTOM_NFV_BAZ', latest)).status,
      204,
    );
    assert.equal(
      (await t.request('DELETE', '/resource_classes/CUSTOM_NFV_BAZ', latest)).status,
      404,
    );
  });

  it('associates aggregates: a bare list before 1.19, generations from 1.19', async () => {
    const url = `/resource_providers/${RP}/aggregates`;
    const a1 = 'c2b0b0a6-3c3e-4e59-9f5f-3f0f0a9c9e01';
    const a2 = 'c2b0b0a6-3c3e-4e59-9f5f-3f0f0a9c9e02';
    assert.equal((await t.request('GET', url, { version: '1.0' })).status, 404);
    const rp = await t.request('GET', `/resource_providers/${RP}`);
    const gen = rp.json.generation;
    const oldPayload = await t.request('PUT', url, { version: 'latest', body: [a1, a2] });
    assert.match(oldPayload.json.errors[0].detail, /JSON does not validate/);
    const set = await t.request('PUT', url, {
      version: 'latest',
      body: { aggregates: [a1, a2], resource_provider_generation: gen },
    });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json, { aggregates: [a1, a2], resource_provider_generation: gen + 1 });
    const stale = await t.request('PUT', url, {
      version: 'latest',
      body: { aggregates: [], resource_provider_generation: gen },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.errors[0].code, 'placement.concurrent_update');
    const notUuid = await t.request('PUT', url, {
      version: 'latest',
      body: { aggregates: ['x'], resource_provider_generation: gen + 1 },
    });
    assert.match(notUuid.json.errors[0].detail, /is not a 'uuid'/);
    const twice = await t.request('PUT', url, {
      version: 'latest',
      body: { aggregates: [a1, a1], resource_provider_generation: gen + 1 },
    });
    assert.match(twice.json.errors[0].detail, /has non-unique elements/);
    const old = await t.request('PUT', url, { version: '1.14', body: [a1] });
    assert.deepEqual(old.json, { aggregates: [a1] });
    assert.equal(old.headers['cache-control'], undefined);
    const members = await t.request('GET', `/resource_providers?member_of=in:${a1},${a2}`, {
      version: 'latest',
    });
    assert.equal(members.json.resource_providers.length, 1);
    const notIn = await t.request('GET', `/resource_providers?member_of=!${a1}`, {
      version: 'latest',
    });
    assert.equal(notIn.json.resource_providers.length, 0);
    const tooOld = await t.request('GET', `/resource_providers?member_of=!${a1}`, {
      version: '1.31',
    });
    assert.match(tooOld.json.errors[0].detail, /Forbidden member_of parameters are not supported/);
    const multi = await t.request('GET', `/resource_providers?member_of=${a1}&member_of=${a2}`, {
      version: '1.23',
    });
    assert.match(multi.json.errors[0].detail, /Multiple member_of parameters are not supported/);
    const noPrefix = await t.request('GET', `/resource_providers?member_of=${a1},${a2}`, {
      version: 'latest',
    });
    assert.match(
      noPrefix.json.errors[0].detail,
      /must be prefixed with the 'in:' or '!in:' keyword/,
    );
  });
});
