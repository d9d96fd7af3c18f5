import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDialect } from '../../../../test/harness/dialects.js';
import { startPlacementTestApp, type PlacementTestApp } from '../../testing/placement-test-app.js';

const RP = 'e1e1e1e1-0000-4000-8000-000000000001';
const CHILD = 'e1e1e1e1-0000-4000-8000-000000000002';
const C0 = 'e1e1e1e1-0000-4000-8000-0000000000c0';
const C1 = 'e1e1e1e1-0000-4000-8000-0000000000c1';
const ALT = 'e1e1e1e1-0000-4000-8000-0000000000a1';
const PROJECT = 'p-reshape';
const USER = 'u-reshape';
const ALT_USER = 'u-alt';

// Upstream's reshaper gabbit on its AllocationFixture: one provider with VCPU and DISK_GB,
// three consumers (1000 DISK_GB; 6 VCPU; 20 DISK_GB + 1 VCPU), provider generation 5.
forEachDialect('placement reshaper', (dialect) => {
  let t: PlacementTestApp;
  const v = { version: '1.30', token: 'service' };
  before(async () => {
    t = await startPlacementTestApp(dialect);
    await t.request('POST', '/resource_providers', { body: { name: 'rp', uuid: RP } });
    const inv = `/resource_providers/${RP}/inventories`;
    await t.request('POST', inv, {
      body: { resource_class: 'DISK_GB', total: 2048, step_size: 10, min_unit: 10, max_unit: 1000 },
    });
    await t.request('POST', inv, { body: { resource_class: 'VCPU', total: 10, max_unit: 10 } });
    const put = (c: string, user: string, resources: Record<string, number>) =>
      t.request('PUT', `/allocations/${c}`, {
        version: '1.28',
        body: {
          allocations: { [RP]: { resources } },
          project_id: PROJECT,
          user_id: user,
          consumer_generation: null,
        },
      });
    await put(C0, USER, { DISK_GB: 1000 });
    await put(C1, USER, { VCPU: 6 });
    await put(ALT, ALT_USER, { DISK_GB: 20, VCPU: 1 });
  });
  after(() => t.close());

  const consumer = (
    allocations: Record<string, Record<string, number>>,
    gen: number | null,
    user = USER,
  ) => ({
    allocations: Object.fromEntries(
      Object.entries(allocations).map(([rp, resources]) => [rp, { resources }]),
    ),
    project_id: PROJECT,
    user_id: user,
    consumer_generation: gen,
  });

  it('is POST only, 1.30+, for the service role, and validates its body', async () => {
    const get = await t.request('GET', '/reshaper', v);
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
    const body = {
      inventories: {
        [RP]: { resource_provider_generation: 5, inventories: { VCPU: { total: 1 } } },
      },
      allocations: {},
    };
    assert.equal((await t.request('POST', '/reshaper', { version: '1.30', body })).status, 403);
    assert.equal(
      (await t.request('POST', '/reshaper', { ...v, version: '1.29', body })).status,
      404,
    );
    const bad = await t.request('POST', '/reshaper', { ...v, body: { bad: 1 } });
    assert.match(bad.json.errors[0].detail, /JSON does not validate/);
    const noAllocs = await t.request('POST', '/reshaper', {
      ...v,
      body: { inventories: body.inventories },
    });
    assert.equal(noAllocs.status, 400);
  });

  it('refuses inventory in use, allocations that do not fit, stale generations', async () => {
    const inv = (gen: number) => ({
      [RP]: { resource_provider_generation: gen, inventories: { VCPU: { total: 1 } } },
    });
    const inUse = await t
      .request('POST', '/reshaper', {
        ...v,
        version: '1.23',
        body: { inventories: inv(5), allocations: {} },
      })
      .catch(() => undefined);
    void inUse;
    const inUse30 = await t.request('POST', '/reshaper', {
      ...v,
      body: { inventories: inv(5), allocations: {} },
    });
    assert.equal(inUse30.status, 409);
    const inUse38 = await t.request('POST', '/reshaper', {
      ...v,
      version: '1.38',
      body: { inventories: inv(5), allocations: {} },
    });
    assert.equal(inUse38.json.errors[0].code, 'placement.inventory.inuse');
    const noFit = await t.request('POST', '/reshaper', {
      ...v,
      body: {
        inventories: inv(5),
        allocations: {
          'e1e1e1e1-0000-4000-8000-0000000000c9': consumer({ [RP]: { VCPU: 1 } }, null),
        },
      },
    });
    assert.equal(noFit.status, 409);
    assert.match(noFit.json.errors[0].detail, /Unable to allocate inventory/);
    const staleRp = await t.request('POST', '/reshaper', {
      ...v,
      body: { inventories: inv(4), allocations: {} },
    });
    assert.match(
      staleRp.json.errors[0].detail,
      /resource provider generation conflict.*actual: 5, given: 4/,
    );
    const staleConsumer = await t.request('POST', '/reshaper', {
      ...v,
      body: { inventories: inv(5), allocations: { [C1]: consumer({ [RP]: { VCPU: 1 } }, 99) } },
    });
    assert.match(staleConsumer.json.errors[0].detail, /consumer generation conflict/);
  });

  it('moves VCPU inventory and allocations to a new child provider', async () => {
    await t.request('POST', '/resource_providers', {
      version: '1.20',
      body: { name: 'child', uuid: CHILD, parent_provider_uuid: RP },
    });
    const move = (rpInventories: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      inventories: {
        [RP]: {
          resource_provider_generation: 5,
          inventories: { DISK_GB: { total: 2048, step_size: 10, min_unit: 10, max_unit: 1200 } },
        },
        [CHILD]: { resource_provider_generation: 0, inventories: rpInventories },
        ...extra,
      },
      allocations: {
        [C0]: consumer({ [RP]: { DISK_GB: 1000 } }, 1),
        [C1]: consumer({ [CHILD]: { VCPU: 8 } }, 1),
        [ALT]: consumer({ [RP]: { DISK_GB: 20 }, [CHILD]: { VCPU: 1 } }, 1, ALT_USER),
      },
    });
    const missing = await t.request('POST', '/reshaper', {
      ...v,
      body: move(
        { VCPU: { total: 10, max_unit: 8 } },
        {
          'e1e1e1e1-0000-4000-8000-0000000000ff': {
            resource_provider_generation: 0,
            inventories: {},
          },
        },
      ),
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.errors[0].code, 'placement.resource_provider.not_found');
    const badClass = await t.request('POST', '/reshaper', {
      ...v,
      body: move({ DISK_OF_STEEL: { total: 2048 } }),
    });
    assert.match(badClass.json.errors[0].detail, /No such resource class DISK_OF_STEEL/);
    const tooSmall = await t.request('POST', '/reshaper', {
      ...v,
      body: move({ VCPU: { total: 10, max_unit: 4 } }),
    });
    assert.equal(tooSmall.status, 409);
    assert.match(tooSmall.json.errors[0].detail, /Unable to allocate inventory/);
    const ok = await t.request('POST', '/reshaper', {
      ...v,
      body: move({ VCPU: { total: 10, max_unit: 8 } }),
    });
    assert.equal(ok.status, 204, ok.body);
    const parent = await t.request('GET', `/resource_providers/${RP}/usages`);
    assert.deepEqual(parent.json, { resource_provider_generation: 8, usages: { DISK_GB: 1020 } });
    const child = await t.request('GET', `/resource_providers/${CHILD}/usages`);
    assert.deepEqual(child.json, { resource_provider_generation: 3, usages: { VCPU: 9 } });
  });

  it('consolidates back onto the parent, emptying the child', async () => {
    const n1 = '7bd2e864-0415-445c-8fc2-328520ef7642';
    const n2 = '2dfa608c-cecb-4fe0-a1bb-950015fa731f';
    const r = await t.request('POST', '/reshaper', {
      ...v,
      version: '1.38',
      body: {
        inventories: {
          [RP]: {
            resource_provider_generation: 8,
            inventories: {
              DISK_GB: { total: 2048, step_size: 10, min_unit: 10, max_unit: 1200 },
              VCPU: { total: 10, max_unit: 8 },
            },
          },
          [CHILD]: { resource_provider_generation: 3, inventories: {} },
        },
        allocations: {
          [C0]: { ...consumer({ [RP]: { DISK_GB: 1000 } }, 2), consumer_type: 'INSTANCE' },
          [n1]: { ...consumer({ [RP]: { VCPU: 8 } }, null), consumer_type: 'INSTANCE' },
          [n2]: {
            ...consumer({ [RP]: { DISK_GB: 20, VCPU: 1 } }, null, ALT_USER),
            consumer_type: 'INSTANCE',
          },
          [C1]: { ...consumer({}, 2), consumer_type: 'INSTANCE' },
          [ALT]: { ...consumer({ [RP]: { DISK_GB: 20 } }, 2, ALT_USER), consumer_type: 'RESHAPED' },
        },
      },
    });
    assert.equal(r.status, 204, r.body);
    const parent = await t.request('GET', `/resource_providers/${RP}/usages`);
    assert.deepEqual(parent.json, {
      resource_provider_generation: 11,
      usages: { DISK_GB: 1040, VCPU: 9 },
    });
    const child = await t.request('GET', `/resource_providers/${CHILD}/usages`);
    assert.deepEqual(child.json, { resource_provider_generation: 5, usages: {} });
    const alt = await t.request('GET', `/allocations/${ALT}`, { version: '1.38' });
    assert.equal(alt.json.consumer_type, 'RESHAPED');
    const stale = await t.request('POST', '/reshaper', {
      ...v,
      body: {
        inventories: { [CHILD]: { resource_provider_generation: 5, inventories: {} } },
        allocations: { [C1]: consumer({}, 2) },
      },
    });
    assert.equal(stale.status, 409);
  });
});
