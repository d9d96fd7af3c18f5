import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDialect } from '../../../../test/harness/dialects.js';
import { startPlacementTestApp, type PlacementTestApp } from '../../testing/placement-test-app.js';

const RP = 'b5a1e7f0-6b3f-4b44-9b3a-0f5b0c1a2d01';
const RP2 = 'b5a1e7f0-6b3f-4b44-9b3a-0f5b0c1a2d02';
const C1 = '599ffd2d-526a-4b2e-8683-f13ad25f9958';
const C2 = '8d2b0f3c-3e3f-4b8e-9a2c-4e6a1b9d7c02';
const PROJ = '42a32c07-3eeb-4401-9373-68a8cdca6784';
const USER = '66cb2f29-c86d-47c3-8af5-69ae7b778c70';

forEachDialect('placement allocations and usages', (dialect) => {
  let t: PlacementTestApp;
  before(async () => {
    t = await startPlacementTestApp(dialect);
    await t.request('POST', '/resource_providers', { body: { name: 'rp', uuid: RP } });
    await t.request('POST', '/resource_providers', { body: { name: 'rp2', uuid: RP2 } });
  });
  after(() => t.close());

  const listForm = (rp: string, resources: Record<string, number>) => ({
    allocations: [{ resource_provider: { uuid: rp }, resources }],
  });

  it('validates the list form before 1.12', async () => {
    assert.equal((await t.request('GET', '/allocations')).status, 405);
    const empty = await t.request('GET', `/allocations/${C1}`);
    assert.deepEqual(empty.json, { allocations: {} });
    const noInv = await t.request('PUT', `/allocations/${C1}`, {
      body: listForm(RP, { DISK_GB: 10 }),
    });
    assert.equal(noInv.status, 409);
    const minItems = await t.request('PUT', `/allocations/${C1}`, { body: { allocations: [] } });
    assert.match(minItems.json.errors[0].detail, /Failed validating 'minItems'/);
    await t.request('POST', `/resource_providers/${RP}/inventories`, {
      body: { resource_class: 'DISK_GB', total: 2048 },
    });
    const zero = await t.request('PUT', `/allocations/${C1}`, {
      body: listForm(RP, { DISK_GB: 0 }),
    });
    assert.match(
      zero.json.errors[0].detail,
      /JSON does not validate: 0 is less than the minimum of 1/,
    );
    const bad = await t.request('PUT', '/allocations/not-a-uuid', {
      body: listForm(RP, { DISK_GB: 1 }),
    });
    assert.match(bad.json.errors[0].detail, /Malformed consumer_uuid/);
    const v18 = await t.request('PUT', `/allocations/${C1}`, {
      version: '1.8',
      body: listForm(RP, { DISK_GB: 1 }),
    });
    assert.match(v18.json.errors[0].detail, /Failed validating 'required' in schema/);
  });

  it('writes, replaces and deletes allocations; a provider in use cannot go', async () => {
    assert.equal(
      (await t.request('PUT', `/allocations/${C1}`, { body: listForm(RP, { DISK_GB: 10 }) }))
        .status,
      204,
    );
    const inUse = await t.request('DELETE', `/resource_providers/${RP}`, { version: '1.23' });
    assert.equal(inUse.status, 409);
    assert.equal(inUse.json.errors[0].code, 'placement.resource_provider.inuse');
    await t.request('PUT', `/allocations/${C2}`, { body: listForm(RP, { DISK_GB: 10 }) });
    let usages = await t.request('GET', `/resource_providers/${RP}/usages`);
    assert.equal(usages.json.usages.DISK_GB, 20);
    await t.request('PUT', `/allocations/${C1}`, { body: listForm(RP, { DISK_GB: 2 }) });
    usages = await t.request('GET', `/resource_providers/${RP}/usages`);
    assert.equal(usages.json.usages.DISK_GB, 12);
    const badClass = await t.request('PUT', `/allocations/${C1}`, {
      body: listForm(RP, { COWS: 12 }),
    });
    assert.equal(badClass.status, 400);
    assert.match(
      badClass.json.errors[0].detail,
      /Unable to allocate inventory for consumer .*No such resource class COWS/,
    );
    const noRp = await t.request('PUT', `/allocations/${C1}`, {
      body: listForm('be8b9cba-e7db-4a12-a386-99b4242167fe', { DISK_GB: 1 }),
    });
    assert.match(
      noRp.json.errors[0].detail,
      /Allocation for resource provider 'be8b9cba-e7db-4a12-a386-99b4242167fe' that does not exist/,
    );
    assert.equal((await t.request('DELETE', `/allocations/${C2}`)).status, 204);
    const again = await t.request('DELETE', `/allocations/${C2}`);
    assert.equal(again.status, 404);
    assert.match(again.json.errors[0].detail, new RegExp(`No allocations for consumer '${C2}'`));
  });

  it('enforces capacity and inventory constraints', async () => {
    await t.request('PUT', `/resource_providers/${RP2}/inventories`, {
      body: {
        resource_provider_generation: 0,
        inventories: {
          VCPU: { total: 4, max_unit: 2 },
          MEMORY_MB: { total: 1024, step_size: 256 },
        },
      },
    });
    const over = await t.request('PUT', `/allocations/${C2}`, {
      version: '1.23',
      body: { allocations: { [RP2]: { resources: { VCPU: 3 } } }, project_id: PROJ, user_id: USER },
    });
    assert.equal(over.status, 409);
    assert.match(over.json.errors[0].detail, /violate inventory constraints/);
    assert.equal(over.json.errors[0].code, 'placement.undefined_code');
    const step = await t.request('PUT', `/allocations/${C2}`, {
      body: listForm(RP2, { MEMORY_MB: 100 }),
    });
    assert.match(step.json.errors[0].detail, /violate inventory constraints/);
    const notThere = await t.request('PUT', `/allocations/${C2}`, {
      body: listForm(RP2, { DISK_GB: 1 }),
    });
    assert.match(
      notThere.json.errors[0].detail,
      new RegExp(`Inventory for 'DISK_GB' on resource provider '${RP2}' invalid`),
    );
    await t.request('PUT', `/allocations/${C2}`, { body: listForm(RP2, { VCPU: 2 }) });
    await t.request('PUT', `/allocations/${C1}`, {
      body: {
        allocations: [
          ...listForm(RP, { DISK_GB: 2 }).allocations,
          ...listForm(RP2, { VCPU: 2 }).allocations,
        ],
      },
    });
    const full = await t.request('PUT', '/allocations/0f1ee9e7-1d65-4b55-9c14-9d8a0f7c3b11', {
      body: listForm(RP2, { VCPU: 1 }),
    });
    assert.equal(full.status, 409);
    assert.match(full.json.errors[0].detail, /The requested amount would exceed the capacity/);
  });

  it('shows allocations by consumer and provider per microversion', async () => {
    const old = await t.request('GET', `/allocations/${C1}`);
    assert.deepEqual(Object.keys(old.json), ['allocations']);
    assert.deepEqual(old.json.allocations[RP2].resources, { VCPU: 2 });
    assert.equal(typeof old.json.allocations[RP].generation, 'number');
    const v28 = await t.request('GET', `/allocations/${C1}`, { version: '1.28' });
    assert.equal(v28.json.project_id, '00000000-0000-0000-0000-000000000000');
    assert.equal(typeof v28.json.consumer_generation, 'number');
    assert.equal(v28.json.consumer_type, undefined);
    const v38 = await t.request('GET', `/allocations/${C1}`, { version: '1.38' });
    assert.equal(v38.json.consumer_type, 'unknown');
    const byRp = await t.request('GET', `/resource_providers/${RP2}/allocations`, {
      version: '1.28',
    });
    assert.deepEqual(Object.keys(byRp.json.allocations).sort(), [C1, C2].sort());
    assert.equal(typeof byRp.json.allocations[C1].consumer_generation, 'number');
    assert.equal(typeof byRp.json.resource_provider_generation, 'number');
    const missing = await t.request(
      'GET',
      '/resource_providers/fd0dd55c-6330-463b-876c-31c54e95cb95/allocations',
    );
    assert.equal(missing.status, 404);
    const v15 = await t.request('GET', `/allocations/${C1}`, { version: '1.15' });
    assert.equal(v15.headers['cache-control'], 'no-cache');
  });

  it('uses the dict form from 1.12 and consumer generations from 1.28', async () => {
    const c = '6d9f83db-6eb5-49f6-84b0-5d03c6aa9fc8';
    const dict = (extra: Record<string, unknown>) => ({
      allocations: { [RP]: { resources: { DISK_GB: 5 } } },
      project_id: PROJ,
      user_id: USER,
      ...extra,
    });
    const listIn112 = await t.request('PUT', `/allocations/${c}`, {
      version: '1.12',
      body: { ...listForm(RP, { DISK_GB: 5 }), project_id: PROJ, user_id: USER },
    });
    assert.match(listIn112.json.errors[0].detail, /JSON does not validate/);
    const emptyIn112 = await t.request('PUT', `/allocations/${c}`, {
      version: '1.12',
      body: { ...dict({}), allocations: {} },
    });
    assert.match(emptyIn112.json.errors[0].detail, /does not have enough properties/);
    const noGen = await t.request('PUT', `/allocations/${c}`, { version: '1.28', body: dict({}) });
    assert.equal(noGen.status, 400);
    const notNull = await t.request('PUT', `/allocations/${c}`, {
      version: '1.28',
      body: dict({ consumer_generation: 5 }),
    });
    assert.equal(notNull.status, 409);
    assert.match(
      notNull.json.errors[0].detail,
      /consumer generation conflict - expected null but got 5/,
    );
    assert.equal(notNull.json.errors[0].code, 'placement.concurrent_update');
    assert.equal(
      (
        await t.request('PUT', `/allocations/${c}`, {
          version: '1.28',
          body: dict({ consumer_generation: null }),
        })
      ).status,
      204,
    );
    const got = await t.request('GET', `/allocations/${c}`, { version: '1.28' });
    assert.equal(got.json.consumer_generation, 1);
    assert.equal(got.json.project_id, PROJ);
    const stale = await t.request('PUT', `/allocations/${c}`, {
      version: '1.28',
      body: dict({ consumer_generation: null }),
    });
    assert.match(
      stale.json.errors[0].detail,
      /consumer generation conflict - expected 1 but got null/,
    );
    assert.equal(
      (
        await t.request('PUT', `/allocations/${c}`, {
          version: '1.28',
          body: dict({ consumer_generation: 1 }),
        })
      ).status,
      204,
    );
    assert.equal(
      (await t.request('PUT', `/allocations/${c}`, { version: '1.27', body: dict({}) })).status,
      204,
    );
    const cleared = await t.request('PUT', `/allocations/${c}`, {
      version: '1.28',
      body: { ...dict({ consumer_generation: 3 }), allocations: {} },
    });
    assert.equal(cleared.status, 204);
    assert.deepEqual((await t.request('GET', `/allocations/${c}`, { version: '1.28' })).json, {
      allocations: {},
    });
    const typed = await t.request('PUT', `/allocations/${c}`, {
      version: '1.38',
      body: dict({ consumer_generation: null }),
    });
    assert.match(typed.json.errors[0].detail, /'consumer_type' is a required property/);
    const lower = await t.request('PUT', `/allocations/${c}`, {
      version: '1.38',
      body: dict({ consumer_generation: null, consumer_type: 'instance' }),
    });
    assert.match(lower.json.errors[0].detail, /'instance' does not match '\^\[A-Z0-9_\]\+\$'/);
    await t.request('PUT', `/allocations/${c}`, {
      version: '1.38',
      body: dict({ consumer_generation: null, consumer_type: 'INSTANCE' }),
    });
    assert.equal(
      (await t.request('GET', `/allocations/${c}`, { version: '1.38' })).json.consumer_type,
      'INSTANCE',
    );
    const mapped = await t.request('PUT', `/allocations/${c}`, {
      version: '1.34',
      body: dict({ consumer_generation: 1, mappings: { '': [RP] } }),
    });
    assert.equal(mapped.status, 204);
  });

  it('posts allocations of several consumers at once (1.13+), e.g. for a move', async () => {
    assert.equal(
      (await t.request('POST', '/allocations', { version: '1.12', body: {} })).status,
      404,
    );
    const inst = '2b0b3d5e-1c3f-4a2e-9c1d-7e8f9a0b1c01';
    const mig = '2b0b3d5e-1c3f-4a2e-9c1d-7e8f9a0b1c02';
    const v = { version: '1.28' };
    const first = await t.request('POST', '/allocations', {
      ...v,
      body: {
        [inst]: {
          allocations: { [RP]: { resources: { DISK_GB: 7 } } },
          project_id: PROJ,
          user_id: USER,
          consumer_generation: null,
        },
      },
    });
    assert.equal(first.status, 204);
    // The move: the migration record takes the source allocation, the instance the target.
    await t.request('POST', `/resource_providers/${RP2}/inventories`, {
      body: { resource_class: 'DISK_GB', total: 100 },
    });
    const move = await t.request('POST', '/allocations', {
      ...v,
      body: {
        [mig]: {
          allocations: { [RP]: { resources: { DISK_GB: 7 } } },
          project_id: PROJ,
          user_id: USER,
          consumer_generation: null,
        },
        [inst]: {
          allocations: { [RP2]: { resources: { DISK_GB: 7 } } },
          project_id: PROJ,
          user_id: USER,
          consumer_generation: 1,
        },
      },
    });
    assert.equal(move.status, 204);
    assert.deepEqual(
      Object.keys((await t.request('GET', `/allocations/${inst}`)).json.allocations),
      [RP2],
    );
    assert.deepEqual(
      Object.keys((await t.request('GET', `/allocations/${mig}`)).json.allocations),
      [RP],
    );
    const wrongGen = await t.request('POST', '/allocations', {
      ...v,
      body: { [mig]: { allocations: {}, project_id: PROJ, user_id: USER, consumer_generation: 7 } },
    });
    assert.match(
      wrongGen.json.errors[0].detail,
      /consumer generation conflict - expected 1 but got 7/,
    );
    const badClass = await t.request('POST', '/allocations', {
      ...v,
      body: {
        [mig]: {
          allocations: { [RP]: { resources: { CUSTOM_PONY: 1 } } },
          project_id: PROJ,
          user_id: USER,
          consumer_generation: 1,
        },
      },
    });
    assert.match(
      badClass.json.errors[0].detail,
      /Unable to allocate inventory No such resource class CUSTOM_PONY/,
    );
    const drop = await t.request('POST', '/allocations', {
      ...v,
      body: { [mig]: { allocations: {}, project_id: PROJ, user_id: USER, consumer_generation: 1 } },
    });
    assert.equal(drop.status, 204);
    assert.deepEqual((await t.request('GET', `/allocations/${mig}`)).json, { allocations: {} });
  });

  it('sums usages by project and user, and by consumer type from 1.38', async () => {
    assert.equal(
      (await t.request('GET', `/usages?project_id=${PROJ}`, { version: '1.8' })).status,
      404,
    );
    const noProject = await t.request('GET', '/usages', { version: '1.9' });
    assert.match(noProject.json.errors[0].detail, /'project_id' is a required property/);
    const byProject = await t.request('GET', `/usages?project_id=${PROJ}`, { version: '1.9' });
    assert.deepEqual(byProject.json, { usages: { DISK_GB: 12 } });
    const byUser = await t.request('GET', `/usages?project_id=${PROJ}&user_id=nobody`, {
      version: '1.9',
    });
    assert.deepEqual(byUser.json, { usages: {} });
    const typed = await t.request('GET', `/usages?project_id=${PROJ}`, { version: '1.38' });
    assert.deepEqual(typed.json.usages.INSTANCE, { DISK_GB: 5, consumer_count: 1 });
    assert.deepEqual(typed.json.usages.unknown, { DISK_GB: 7, consumer_count: 1 });
    const all = await t.request('GET', `/usages?project_id=${PROJ}&consumer_type=all`, {
      version: '1.38',
    });
    assert.deepEqual(all.json.usages, { all: { DISK_GB: 12, consumer_count: 2 } });
    const unknown = await t.request('GET', `/usages?project_id=${PROJ}&consumer_type=unknown`, {
      version: '1.38',
    });
    assert.deepEqual(unknown.json.usages, { unknown: { DISK_GB: 7, consumer_count: 1 } });
    const other = await t.request('GET', `/usages?project_id=${PROJ}&consumer_type=ALL`, {
      version: '1.38',
    });
    assert.deepEqual(other.json.usages, {});
    const reader = await t.request('GET', `/usages?project_id=${PROJ}`, {
      version: '1.9',
      token: `reader:${PROJ}`,
    });
    assert.equal(reader.status, 200);
    const otherReader = await t.request('GET', `/usages?project_id=${PROJ}`, {
      version: '1.9',
      token: 'reader:someone',
    });
    assert.equal(otherReader.status, 403);
  });
});
