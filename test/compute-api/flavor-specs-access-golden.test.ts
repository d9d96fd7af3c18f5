import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { sample, samplesSkip, shapeDiff } from './harness/upstream-samples.js';

describe('flavor extra specs and access match upstream samples', { skip: samplesSkip() }, () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi();
  });
  after(() => api.close());

  it('creates, lists, shows and updates extra specs (2.86 validation passes)', async () => {
    await api.request('POST', '/v2.1/flavors', {
      body: { flavor: { name: 'es', id: 'es', ram: 512, vcpus: 1, disk: 1 } },
    });
    for (const version of ['2.1', '2.86']) {
      const create = await api.request('POST', '/v2.1/flavors/es/os-extra_specs', {
        version,
        body: sample('flavor-extra-specs/flavor-extra-specs-create-req.json'),
      });
      assert.equal(create.status, 200, create.text);
      assert.deepEqual(
        create.body,
        sample('flavor-extra-specs/flavor-extra-specs-create-resp.json'),
      );
    }
    const list = await api.request('GET', '/v2.1/flavors/es/os-extra_specs');
    assert.deepEqual(list.body, sample('flavor-extra-specs/flavor-extra-specs-list-resp.json'));
    const show = await api.request('GET', '/v2.1/flavors/es/os-extra_specs/hw:numa_nodes');
    assert.deepEqual(show.body, sample('flavor-extra-specs/flavor-extra-specs-get-resp.json'));
    const update = await api.request('PUT', '/v2.1/flavors/es/os-extra_specs/hw:numa_nodes', {
      version: '2.86',
      body: sample('flavor-extra-specs/flavor-extra-specs-update-req.json'),
    });
    assert.deepEqual(update.body, sample('flavor-extra-specs/flavor-extra-specs-update-resp.json'));
  });

  it('adds, lists and removes tenant access of a private flavor', async () => {
    const create = await api.request('POST', '/v2.1/flavors', {
      body: sample('flavor-access/flavor-create-req.json'),
    });
    assert.equal(create.status, 200, create.text);
    const add = await api.request('POST', '/v2.1/flavors/10/action', {
      body: sample('flavor-access/flavor-access-add-tenant-req.json'),
    });
    assert.equal(add.status, 200, add.text);
    assert.deepEqual(
      shapeDiff(add.body, sample('flavor-access/flavor-access-add-tenant-resp.json')),
      [],
    );
    const list = await api.request('GET', '/v2.1/flavors/10/os-flavor-access');
    assert.deepEqual(
      shapeDiff(list.body, sample('flavor-access/flavor-access-list-resp.json')),
      [],
    );
    const remove = await api.request('POST', '/v2.1/flavors/10/action', {
      body: sample('flavor-access/flavor-access-remove-tenant-req.json'),
    });
    assert.deepEqual(remove.body, sample('flavor-access/flavor-access-remove-tenant-resp.json'));
  });

  it('refuses access lists on public flavors from 2.7 (409), allows them before', async () => {
    const req = sample('flavor-access/v2.7/flavor-create-req.json');
    req.flavor.id = 'pub27';
    req.flavor.name = 'pub27';
    await api.request('POST', '/v2.1/flavors', { body: req });
    const body = sample('flavor-access/v2.7/flavor-access-add-tenant-req.json');
    const at27 = await api.request('POST', '/v2.1/flavors/pub27/action', { version: '2.7', body });
    assert.equal(at27.status, 409);
    assert.equal(at27.body.conflictingRequest.message, 'Can not add access to a public flavor.');
    const at26 = await api.request('POST', '/v2.1/flavors/pub27/action', { version: '2.6', body });
    assert.equal(at26.status, 200, at26.text);
  });
});
