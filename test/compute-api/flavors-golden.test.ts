import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { sample, samplesSkip, shapeDiff } from './harness/upstream-samples.js';

/** The flavor sample folders and the microversion each was recorded at. */
const VERSIONS: [dir: string, version: string][] = [
  ['', '2.1'],
  ['v2.55/', '2.55'],
  ['v2.61/', '2.61'],
  ['v2.75/', '2.75'],
  ['v2.102/', '2.102'],
];

describe('flavors match upstream samples', { skip: samplesSkip() }, () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi();
    // A flavor with extra specs, as the samples' m1.tiny.specs.
    await api.request('POST', '/v2.1/flavors', {
      body: { flavor: { name: 'specs', id: 'specs', ram: 512, vcpus: 1, disk: 1 } },
    });
    await api.request('POST', '/v2.1/flavors/specs/os-extra_specs', {
      body: { extra_specs: { 'hw:numa_nodes': '1' } },
    });
  });
  after(() => api.close());

  for (const [dir, version] of VERSIONS) {
    it(`POST /flavors at ${version}`, async () => {
      const req = sample(`flavor-manage/${dir}flavor-create-post-req.json`);
      req.flavor.id = `golden-${version}`;
      req.flavor.name = `golden ${version}`;
      const r = await api.request('POST', '/v2.1/flavors', { version, body: req });
      assert.equal(r.status, 200, r.text);
      const expected = sample(`flavor-manage/${dir}flavor-create-post-resp.json`);
      assert.deepEqual(shapeDiff(r.body, expected, { freeform: ['flavor.extra_specs'] }), []);
    });

    it(`GET /flavors/{id}, /flavors and /flavors/detail at ${version}`, async () => {
      const show = await api.request('GET', '/v2.1/flavors/1', { version });
      const showSample = sample(`flavors/${dir}flavor-get-resp.json`);
      assert.deepEqual(
        shapeDiff(show.body, showSample, {
          freeform: ['flavor.extra_specs'],
          nullable: ['flavor.description'],
        }),
        [],
      );
      const list = await api.request('GET', '/v2.1/flavors', { version });
      assert.deepEqual(
        shapeDiff(list.body, sample(`flavors/${dir}flavors-list-resp.json`), {
          nullable: ['flavors[].description'],
        }),
        [],
      );
      const detail = await api.request('GET', '/v2.1/flavors/detail', { version });
      assert.deepEqual(
        shapeDiff(detail.body, sample(`flavors/${dir}flavors-detail-resp.json`), {
          freeform: ['flavors[].extra_specs'],
          nullable: ['flavors[].description'],
        }),
        [],
      );
    });
  }

  for (const [dir, version] of VERSIONS.slice(1)) {
    it(`PUT /flavors/{id} at ${version}`, async () => {
      const r = await api.request('PUT', '/v2.1/flavors/2', {
        version,
        body: sample(`flavor-manage/${dir}flavor-update-req.json`),
      });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        shapeDiff(r.body, sample(`flavor-manage/${dir}flavor-update-resp.json`), {
          freeform: ['flavor.extra_specs'],
        }),
        [],
      );
    });
  }
});
