import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDialect } from '../../../../test/harness/dialects.js';
import { startPlacementTestApp, type PlacementTestApp } from '../../testing/placement-test-app.js';

const RP = '7d4275fc-8b40-4995-85e2-74fcec2cb3b6';
const PARENT = 'b8d8b1bb-3b2d-4a3f-9f4e-4c9b2c3e3a11';
const ALT = 'c0a6a2b8-2f6f-4f74-9b5a-88b0c79b3d10';

forEachDialect('placement resource providers', (dialect) => {
  let t: PlacementTestApp;
  before(async () => {
    t = await startPlacementTestApp(dialect);
  });
  after(() => t.close());
  const latest = { version: 'latest' };

  it('creates a provider: 201 without a body before 1.20, 200 with the provider from 1.20', async () => {
    const old = await t.request('POST', '/resource_providers', {
      version: '1.19',
      body: { name: 'old', uuid: RP },
    });
    assert.equal(old.status, 201);
    assert.equal(old.headers.location, `/resource_providers/${RP}`);
    assert.equal(old.headers['content-type'], undefined);
    assert.equal((await t.request('DELETE', `/resource_providers/${RP}`)).status, 204);
    const r = await t.request('POST', '/resource_providers', {
      ...latest,
      body: { name: 'rp', uuid: RP },
    });
    assert.equal(r.status, 200);
    assert.equal(r.json.uuid, RP);
    assert.equal(r.json.generation, 0);
    assert.equal(r.json.parent_provider_uuid, null);
    assert.equal(r.json.root_provider_uuid, RP);
    assert.deepEqual(
      r.json.links.map((l: any) => l.rel),
      ['self', 'inventories', 'usages', 'aggregates', 'traits', 'allocations'],
    );
    assert.equal(r.headers['cache-control'], 'no-cache');
  });

  it('refuses duplicates with placement.duplicate_name', async () => {
    const both = await t.request('POST', '/resource_providers', {
      ...latest,
      body: { name: 'rp', uuid: RP },
    });
    assert.equal(both.status, 409);
    assert.match(both.json.errors[0].detail, /Conflicting resource provider/);
    const name = await t.request('POST', '/resource_providers', {
      ...latest,
      body: { name: 'rp', uuid: 'ada30fb5-566d-4fe1-b43b-28a9e988790c' },
    });
    assert.equal(name.status, 409);
    assert.match(
      name.json.errors[0].detail,
      /Conflicting resource provider name: rp already exists/,
    );
    assert.equal(name.json.errors[0].code, 'placement.duplicate_name');
    const dashless = await t.request('POST', '/resource_providers', {
      ...latest,
      body: { name: 'dashless', uuid: RP.replace(/-/g, '') },
    });
    assert.equal(dashless.status, 409);
    assert.match(
      dashless.json.errors[0].detail,
      new RegExp(`Conflicting resource provider uuid: ${RP} already exists`),
    );
  });

  it('shows providers per microversion: 4 fields before 1.14, 6 from 1.14, links by version', async () => {
    const v13 = await t.request('GET', `/resource_providers/${RP}`, { version: '1.13' });
    assert.equal(Object.keys(v13.json).length, 4);
    const v14 = await t.request('GET', `/resource_providers/${RP}`, { version: '1.14' });
    assert.equal(Object.keys(v14.json).length, 6);
    const v10 = await t.request('GET', `/resource_providers?uuid=${RP}`, { version: '1.10' });
    assert.equal(v10.json.resource_providers[0].links.length, 5);
    const v11 = await t.request('GET', `/resource_providers?uuid=${RP}`, { version: '1.11' });
    assert.equal(v11.json.resource_providers[0].links.length, 6);
    const missing = await t.request(
      'GET',
      '/resource_providers/d67370b5-4dc0-470d-a4fa-85e8e89abc6c',
    );
    assert.equal(missing.status, 404);
    assert.match(
      missing.json.errors[0].detail,
      /No resource provider with uuid d67370b5-4dc0-470d-a4fa-85e8e89abc6c found/,
    );
    assert.equal((await t.request('GET', '/resource_providers/random_sauce')).status, 404);
  });

  it('validates bodies and queries with upstream messages', async () => {
    const bad = await t.request('PUT', `/resource_providers/${RP}`, { body: { badfield: 'x' } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.errors[0].detail, /JSON does not validate/);
    const malformed = await t.request('POST', '/resource_providers', { body: '{"foo": }' });
    assert.match(
      malformed.json.errors[0].detail,
      /^The server could not comply.*\n\n Malformed JSON:/s,
    );
    const uuid = await t.request('POST', '/resource_providers', {
      body: { name: 'x', uuid: 'this is not a uuid' },
    });
    assert.match(uuid.json.errors[0].detail, /Failed validating 'format'/);
    const long = await t.request('POST', '/resource_providers', {
      body: { name: 'x'.repeat(201) },
    });
    assert.match(long.json.errors[0].detail, /Failed validating 'maxLength'/);
    const nested13 = await t.request('POST', '/resource_providers', {
      version: '1.13',
      body: { name: 'child', parent_provider_uuid: PARENT },
    });
    assert.equal(nested13.status, 400);
    const root = await t.request('PUT', `/resource_providers/${RP}`, {
      ...latest,
      body: { root_provider_uuid: PARENT },
    });
    assert.equal(root.status, 400);
    const withUuid = await t.request('PUT', `/resource_providers/${RP}`, {
      ...latest,
      body: { name: 'n', uuid: RP },
    });
    assert.match(
      withUuid.json.errors[0].detail,
      /Additional properties are not allowed \('uuid' was unexpected\)/,
    );
    const q = await t.request('GET', '/resource_providers?uuid=spameggs');
    assert.match(q.json.errors[0].detail, /Invalid query string parameters/);
    const spam = await t.request('GET', '/resource_providers?spam=eggs');
    assert.equal(spam.status, 400);
    const old = await t.request('GET', '/resource_providers?required=HW_CPU_X86_SGX', {
      version: '1.17',
    });
    assert.match(old.json.errors[0].detail, /Additional properties are not allowed/);
  });

  it('builds trees: parent must exist, no self-parenting, reparenting only from 1.37', async () => {
    const self = await t.request('POST', '/resource_providers', {
      ...latest,
      body: { name: 'child', uuid: ALT, parent_provider_uuid: ALT },
    });
    assert.equal(self.status, 400);
    assert.match(self.json.errors[0].detail, /parent provider UUID cannot be same as UUID/);
    assert.match(
      self.json.errors[0].detail,
      new RegExp(`Unable to create resource provider "child", ${ALT}:`),
    );
    const noParent = await t.request('PUT', `/resource_providers/${RP}`, {
      ...latest,
      body: { name: 'rp', parent_provider_uuid: PARENT },
    });
    assert.match(noParent.json.errors[0].detail, /parent provider UUID does not exist/);
    await t.request('POST', '/resource_providers', {
      ...latest,
      body: { name: 'parent', uuid: PARENT },
    });
    await t.request('POST', '/resource_providers', { ...latest, body: { name: 'alt', uuid: ALT } });
    const adopt = await t.request('PUT', `/resource_providers/${RP}`, {
      ...latest,
      body: { name: 'child', parent_provider_uuid: PARENT },
    });
    assert.equal(adopt.status, 200);
    assert.equal(adopt.json.root_provider_uuid, PARENT);
    const unparent36 = await t.request('PUT', `/resource_providers/${RP}`, {
      version: '1.36',
      body: { name: 'child', parent_provider_uuid: null },
    });
    assert.match(
      unparent36.json.errors[0].detail,
      /un-parenting a provider is not currently allowed/,
    );
    const reparent36 = await t.request('PUT', `/resource_providers/${RP}`, {
      version: '1.36',
      body: { name: 'child', parent_provider_uuid: ALT },
    });
    assert.match(
      reparent36.json.errors[0].detail,
      /re-parenting a provider is not currently allowed/,
    );
    const reparent = await t.request('PUT', `/resource_providers/${RP}`, {
      version: '1.37',
      body: { name: 'child', parent_provider_uuid: ALT },
    });
    assert.equal(reparent.json.root_provider_uuid, ALT);
    const unparent = await t.request('PUT', `/resource_providers/${RP}`, {
      version: '1.37',
      body: { name: 'child', parent_provider_uuid: null },
    });
    assert.equal(unparent.json.parent_provider_uuid, null);
    assert.equal(unparent.json.root_provider_uuid, RP);
    await t.request('PUT', `/resource_providers/${RP}`, {
      ...latest,
      body: { name: 'child', parent_provider_uuid: PARENT },
    });
    const loopSelf = await t.request('PUT', `/resource_providers/${PARENT}`, {
      ...latest,
      body: { name: 'parent', parent_provider_uuid: PARENT },
    });
    assert.match(
      loopSelf.json.errors[0].detail,
      /creating loop in the provider tree is not allowed/,
    );
    const loopChild = await t.request('PUT', `/resource_providers/${PARENT}`, {
      ...latest,
      body: { name: 'parent', parent_provider_uuid: RP },
    });
    assert.match(
      loopChild.json.errors[0].detail,
      /creating loop in the provider tree is not allowed/,
    );
    const del = await t.request('DELETE', `/resource_providers/${PARENT}`, latest);
    assert.equal(del.status, 409);
    assert.equal(del.json.errors[0].code, 'placement.resource_provider.cannot_delete_parent');
    const tree = await t.request('GET', `/resource_providers?in_tree=${RP}`, latest);
    assert.deepEqual(
      tree.json.resource_providers.map((p: any) => p.uuid).sort(),
      [PARENT, RP].sort(),
    );
    const none = await t.request(
      'GET',
      '/resource_providers?in_tree=d67370b5-4dc0-470d-a4fa-85e8e89abc6c',
      latest,
    );
    assert.deepEqual(none.json.resource_providers, []);
  });

  it('moves a whole subtree to the new root when its top is re-parented', async () => {
    const grand = '3f0b0d6e-8e0a-4b8a-9d7c-0e4c7f1c2a01';
    await t.request('POST', '/resource_providers', {
      ...latest,
      body: { name: 'grand', uuid: grand, parent_provider_uuid: RP },
    });
    await t.request('PUT', `/resource_providers/${RP}`, {
      ...latest,
      body: { name: 'child', parent_provider_uuid: ALT },
    });
    const g = await t.request('GET', `/resource_providers/${grand}`, latest);
    assert.equal(g.json.root_provider_uuid, ALT);
    assert.equal(g.json.parent_provider_uuid, RP);
    await t.request('DELETE', `/resource_providers/${grand}`);
    await t.request('PUT', `/resource_providers/${RP}`, {
      ...latest,
      body: { name: 'child', parent_provider_uuid: PARENT },
    });
  });

  it('filters by traits (required, forbidden from 1.22, any-of from 1.39) and resources', async () => {
    await t.request('PUT', `/resource_providers/${RP}/traits`, {
      ...latest,
      body: { resource_provider_generation: 0, traits: ['HW_CPU_X86_SGX', 'STORAGE_DISK_SSD'] },
    });
    await t.request('PUT', `/resource_providers/${ALT}/traits`, {
      ...latest,
      body: {
        resource_provider_generation: 0,
        traits: ['MISC_SHARES_VIA_AGGREGATE', 'STORAGE_DISK_SSD'],
      },
    });
    const count = async (q: string, version = 'latest') =>
      (await t.request('GET', `/resource_providers?${q}`, { version })).json.resource_providers
        .length;
    assert.equal(await count('required=HW_CPU_X86_SGX,MISC_SHARES_VIA_AGGREGATE'), 0);
    assert.equal(await count('required=STORAGE_DISK_SSD'), 2);
    assert.equal(await count('required=!STORAGE_DISK_SSD'), 1);
    assert.equal(await count('required=!HW_CPU_X86_SGX,STORAGE_DISK_SSD'), 1);
    assert.equal(await count('required=in:HW_CPU_X86_SGX,MISC_SHARES_VIA_AGGREGATE'), 2);
    assert.equal(
      await count('required=in:HW_CPU_X86_SGX,HW_CPU_X86_AVX&required=!MISC_SHARES_VIA_AGGREGATE'),
      1,
    );
    const old = await t.request('GET', '/resource_providers?required=!STORAGE_DISK_SSD', {
      version: '1.21',
    });
    assert.match(
      old.json.errors[0].detail,
      /Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: !STORAGE_DISK_SSD/,
    );
    const anyOld = await t.request('GET', '/resource_providers?required=in:A,B', {
      version: '1.38',
    });
    assert.match(anyOld.json.errors[0].detail, /only supported since microversion 1.39/);
    const bogus = await t.request(
      'GET',
      '/resource_providers?required=STORAGE_DISK_SSD,BOGUS_TRAIT',
      latest,
    );
    assert.match(bogus.json.errors[0].detail, /No such trait\(s\): BOGUS_TRAIT\./);
    const blank = await t.request('GET', '/resource_providers?required=', latest);
    assert.match(blank.json.errors[0].detail, /HW_CPU_X86_VMX,!CUSTOM_MAGIC\./);
    await t.request('PUT', `/resource_providers/${ALT}/inventories`, {
      ...latest,
      body: {
        resource_provider_generation: 1,
        inventories: { IPV4_ADDRESS: { total: 253 }, DISK_GB: { total: 1024 } },
      },
    });
    assert.equal(await count('required=STORAGE_DISK_SSD&resources=IPV4_ADDRESS:10'), 1);
    assert.equal(await count('resources=IPV4_ADDRESS:254'), 0);
    const badRc = await t.request('GET', '/resource_providers?resources=COWS:1', latest);
    assert.match(
      badRc.json.errors[0].detail,
      /Invalid resource class in resources parameter: No such resource class COWS\./,
    );
    const badAmount = await t.request('GET', '/resource_providers?resources=DISK_GB:0', latest);
    assert.match(badAmount.json.errors[0].detail, /requires amount >= 1/);
  });

  it('renames with duplicate detection and deletes', async () => {
    const cow = await t.request('POST', '/resource_providers', {
      ...latest,
      body: { name: 'cow' },
    });
    const rename = await t.request('PUT', String(cow.headers.location), {
      ...latest,
      body: { name: 'child' },
    });
    assert.equal(rename.status, 409);
    assert.equal(rename.json.errors[0].code, 'placement.duplicate_name');
    assert.equal((await t.request('DELETE', String(cow.headers.location))).status, 204);
    const again = await t.request('DELETE', String(cow.headers.location));
    assert.equal(again.status, 404);
    assert.match(again.json.errors[0].detail, /found for delete/);
    const v14 = await t.request('GET', '/resource_providers', { version: '1.14' });
    assert.equal(v14.headers['cache-control'], undefined);
    assert.equal(v14.headers['last-modified'], undefined);
  });
});
