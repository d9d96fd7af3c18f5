import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDialect } from '../../../../test/harness/dialects.js';
import { startPlacementTestApp, type PlacementTestApp } from '../../testing/placement-test-app.js';

const RP = '2e1dda56-8b18-4fb9-8c5c-3125891b7143';
const INV = `/resource_providers/${RP}/inventories`;

forEachDialect('placement inventories', (dialect) => {
  let t: PlacementTestApp;
  before(async () => {
    t = await startPlacementTestApp(dialect);
  });
  after(() => t.close());

  it('answers 404 for a provider that does not exist', async () => {
    const r = await t.request('GET', INV);
    assert.equal(r.status, 404);
    assert.match(r.json.errors[0].detail, new RegExp(`No resource provider with uuid ${RP} found`));
    assert.equal((await t.request('DELETE', INV, { version: '1.5' })).status, 404);
  });

  it('validates new inventory: schema, capacity, resource class', async () => {
    await t.request('POST', '/resource_providers', { body: { name: 'rp', uuid: RP } });
    const empty = await t.request('GET', INV);
    assert.deepEqual(empty.json, { resource_provider_generation: 0, inventories: {} });
    const cap = await t.request('POST', INV, {
      body: { resource_class: 'DISK_GB', total: 256, reserved: 512 },
    });
    assert.equal(cap.status, 400);
    assert.match(cap.json.errors[0].detail, /Unable to create inventory for resource provider/);
    const noTotal = await t.request('POST', INV, { body: { resource_class: 'DISK_GB' } });
    assert.match(
      noTotal.json.errors[0].detail,
      /JSON does not validate: 'total' is a required property/,
    );
    const zero = await t.request('POST', INV, { body: { resource_class: 'DISK_GB', total: 0 } });
    assert.match(
      zero.json.errors[0].detail,
      /JSON does not validate: 0 is less than the minimum of 1/,
    );
    assert.match(
      zero.json.errors[0].detail,
      /Failed validating 'minimum' in schema\['properties'\]\['total'\]/,
    );
    const max = await t.request('POST', INV, {
      body: { resource_class: 'DISK_GB', total: 2147483648 },
    });
    assert.match(max.json.errors[0].detail, /Failed validating 'maximum'/);
    const ratio = await t.request('POST', INV, {
      body: { resource_class: 'DISK_GB', total: 1, allocation_ratio: 3.5e38 },
    });
    assert.match(ratio.json.errors[0].detail, /Failed validating 'maximum'/);
    const syntax = await t.request('POST', INV, {
      body: { resource_class: 'bad_class', total: 1 },
    });
    assert.equal(syntax.status, 400);
    const unknown = await t.request('POST', INV, {
      body: { resource_class: 'NO_CLASS_14', total: 1 },
    });
    assert.match(unknown.json.errors[0].detail, /No such resource class NO_CLASS_14/);
  });

  it('creates, reads, updates and deletes one inventory, moving the generation', async () => {
    const body = {
      resource_class: 'DISK_GB',
      total: 2048,
      reserved: 512,
      min_unit: 10,
      max_unit: 1024,
      step_size: 10,
      allocation_ratio: 1.0,
    };
    const r = await t.request('POST', INV, { body });
    assert.equal(r.status, 201);
    assert.equal(r.headers.location, `${INV}/DISK_GB`);
    assert.equal(r.json.resource_provider_generation, 1);
    assert.match(r.body, /"allocation_ratio":1\.0/);
    const got = await t.request('GET', `${INV}/DISK_GB`, { version: '1.15' });
    assert.equal(got.json.min_unit, 10);
    assert.equal(got.headers['cache-control'], 'no-cache');
    const v14 = await t.request('GET', `${INV}/DISK_GB`, { version: '1.14' });
    assert.equal(v14.headers['cache-control'], undefined);
    const put = await t.request('PUT', `${INV}/DISK_GB`, {
      body: { ...body, resource_class: undefined, resource_provider_generation: 1, reserved: 1024 },
    });
    assert.equal(put.status, 200);
    assert.equal(put.json.reserved, 1024);
    assert.equal((await t.request('GET', `${INV}/DISK_GB`)).json.resource_provider_generation, 2);
    const stale = await t.request('PUT', `${INV}/DISK_GB`, {
      version: '1.23',
      body: { resource_provider_generation: 5, total: 2048 },
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.errors[0].code, 'placement.concurrent_update');
    assert.match(stale.json.errors[0].detail, /resource provider generation conflict/);
    const noRow = await t.request('PUT', `${INV}/MEMORY_MB`, {
      body: { resource_provider_generation: 2, total: 2048 },
    });
    assert.equal(noRow.status, 400);
    assert.match(noRow.json.errors[0].detail, /No inventory record with resource class/);
    const tooReserved = await t.request('PUT', `${INV}/DISK_GB`, {
      body: { resource_provider_generation: 2, total: 2048, reserved: 4096 },
    });
    assert.match(
      tooReserved.json.errors[0].detail,
      new RegExp(`Unable to update inventory for resource provider ${RP}`),
    );
    const dup = await t.request('POST', INV, { body: { resource_class: 'DISK_GB', total: 2048 } });
    assert.equal(dup.status, 409);
    assert.match(dup.json.errors[0].detail, /Update conflict/);
    assert.equal((await t.request('DELETE', `${INV}/DISK_GB`)).status, 204);
    const gone = await t.request('DELETE', `${INV}/DISK_GB`);
    assert.equal(gone.status, 404);
    assert.match(gone.json.errors[0].detail, /No inventory of class DISK_GB found for delete/);
    const missing = await t.request('GET', `${INV}/HOUSE`);
    assert.match(
      missing.json.errors[0].detail,
      new RegExp(`No inventory of class HOUSE for ${RP}`),
    );
    assert.equal((await t.request('GET', INV)).json.resource_provider_generation, 3);
  });

  it('replaces all inventory with PUT, and honours 1.26 for reserved equal to total', async () => {
    const put = await t.request('PUT', INV, {
      version: '1.15',
      body: {
        resource_provider_generation: 3,
        inventories: { IPV4_ADDRESS: { total: 253 }, DISK_GB: { total: 1024 } },
      },
    });
    assert.equal(put.status, 200);
    assert.equal(put.json.resource_provider_generation, 4);
    assert.equal(put.json.inventories.IPV4_ADDRESS.max_unit, 2147483647);
    assert.equal(put.headers['cache-control'], 'no-cache');
    const stale = await t.request('PUT', INV, {
      version: '1.23',
      body: { resource_provider_generation: 99, inventories: {} },
    });
    assert.equal(stale.json.errors[0].code, 'placement.concurrent_update');
    const unknown = await t.request('PUT', INV, {
      body: { resource_provider_generation: 4, inventories: { HOUSE: { total: 1 } } },
    });
    assert.match(unknown.json.errors[0].detail, /Unknown resource class in inventory/);
    const equal = {
      resource_provider_generation: 4,
      inventories: { DISK_GB: { total: 10, reserved: 10 } },
    };
    const old = await t.request('PUT', INV, { version: '1.25', body: equal });
    assert.match(old.json.errors[0].detail, /greater than or equal to total/);
    const ok = await t.request('PUT', INV, { version: '1.26', body: equal });
    assert.equal(ok.status, 200);
    assert.deepEqual(Object.keys(ok.json.inventories), ['DISK_GB']);
    const over = await t.request('PUT', INV, {
      version: '1.26',
      body: {
        resource_provider_generation: 5,
        inventories: { DISK_GB: { total: 10, reserved: 11 } },
      },
    });
    assert.match(over.json.errors[0].detail, /The reserved value is greater than total\./);
  });

  it('deletes all inventory from 1.5 (405 before), also when already empty', async () => {
    assert.equal((await t.request('DELETE', INV, { version: '1.4' })).status, 405);
    assert.equal((await t.request('DELETE', INV, { version: '1.5' })).status, 204);
    assert.equal((await t.request('DELETE', INV, { version: '1.5' })).status, 204);
    assert.deepEqual((await t.request('GET', INV)).json.inventories, {});
  });
});
