import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { addComputeHost } from './harness/hosts.js';
import { sample, samplesSkip, shapeDiff } from './harness/upstream-samples.js';

const UPDATED = ['aggregate.updated_at', 'aggregates[].updated_at'];

describe('aggregates and server groups match upstream samples', { skip: samplesSkip() }, () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi();
    await addComputeHost(api, '21549b2f665945baaa7101926a00143c');
    await addComputeHost(api, 'compute');
  });
  after(() => api.close());
  const diff = (body: unknown, path: string) =>
    shapeDiff(body, sample(path), {
      nullable: UPDATED,
      freeform: ['aggregate.metadata', 'aggregates[].metadata'],
    });

  for (const [dir, version] of [
    ['', '2.1'],
    ['v2.41/', '2.41'],
    ['v2.81/', '2.81'],
  ] as const) {
    it(`walks an aggregate through its life at ${version}`, async () => {
      const base = `os-aggregates/${dir}`;
      const req = sample(`${base}aggregate-post-req.json`);
      req.aggregate.name = `agg-${version}`;
      const created = await api.request('POST', '/v2.1/os-aggregates', { version, body: req });
      assert.equal(created.status, 200, created.text);
      assert.deepEqual(diff(created.body, `${base}aggregate-post-resp.json`), []);
      const id = created.body.aggregate.id;
      const addReq = sample(`${base}aggregate-add-host-post-req.json`);
      const add = await api.request('POST', `/v2.1/os-aggregates/${id}/action`, {
        version,
        body: addReq,
      });
      assert.equal(add.status, 200, add.text);
      assert.deepEqual(diff(add.body, `${base}aggregates-add-host-post-resp.json`), []);
      const list = await api.request('GET', '/v2.1/os-aggregates', { version });
      assert.deepEqual(diff(list.body, `${base}aggregates-list-get-resp.json`), []);
      const show = await api.request('GET', `/v2.1/os-aggregates/${id}`, { version });
      assert.deepEqual(diff(show.body, `${base}aggregates-get-resp.json`), []);
      const meta = await api.request('POST', `/v2.1/os-aggregates/${id}/action`, {
        version,
        body: sample(`${base}aggregate-metadata-post-req.json`),
      });
      assert.deepEqual(diff(meta.body, `${base}aggregates-metadata-post-resp.json`), []);
      // The samples' host names are generated; remove the host that was added.
      const removeReq = sample(`${base}aggregate-remove-host-post-req.json`);
      removeReq.remove_host.host = addReq.add_host.host;
      const remove = await api.request('POST', `/v2.1/os-aggregates/${id}/action`, {
        version,
        body: removeReq,
      });
      assert.deepEqual(diff(remove.body, `${base}aggregates-remove-host-post-resp.json`), []);
      const upd = sample(`${base}aggregate-update-post-req.json`);
      upd.aggregate.name = `renamed-${version}`;
      const updated = await api.request('PUT', `/v2.1/os-aggregates/${id}`, { version, body: upd });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(diff(updated.body, `${base}aggregate-update-post-resp.json`), []);
      if (version === '2.81') {
        const images = await api.request('POST', `/v2.1/os-aggregates/${id}/images`, {
          version,
          body: sample(`${base}aggregate-images-post-req.json`),
        });
        assert.equal(images.status, 202, images.text);
      }
      assert.equal(
        (await api.request('DELETE', `/v2.1/os-aggregates/${id}`, { version })).status,
        200,
      );
    });
  }

  for (const [dir, version] of [
    ['', '2.1'],
    ['v2.13/', '2.13'],
    ['v2.64/', '2.64'],
  ] as const) {
    it(`creates, shows and lists server groups at ${version}`, async () => {
      const base = `os-server-groups/${dir}`;
      const created = await api.request('POST', '/v2.1/os-server-groups', {
        version,
        body: sample(`${base}server-groups-post-req.json`),
      });
      assert.equal(created.status, 200, created.text);
      assert.deepEqual(shapeDiff(created.body, sample(`${base}server-groups-post-resp.json`)), []);
      const id = created.body.server_group.id;
      const show = await api.request('GET', `/v2.1/os-server-groups/${id}`, { version });
      assert.deepEqual(shapeDiff(show.body, sample(`${base}server-groups-get-resp.json`)), []);
      const list = await api.request('GET', '/v2.1/os-server-groups', { version });
      assert.deepEqual(shapeDiff(list.body, sample(`${base}server-groups-list-resp.json`)), []);
      assert.equal(
        (await api.request('DELETE', `/v2.1/os-server-groups/${id}`, { version })).status,
        204,
      );
    });
  }
});
