import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { sample, samplesSkip, shapeDiff } from './harness/upstream-samples.js';

const QUOTA_VERSIONS: [string, string][] = [
  ['', '2.1'],
  ['v2.36/', '2.36'],
  ['v2.57/', '2.57'],
];
const CLASS_VERSIONS: [string, string][] = [
  ['', '2.1'],
  ['v2.50/', '2.50'],
  ['v2.57/', '2.57'],
];
const LIMIT_VERSIONS: [string, string][] = [
  ['', '2.1'],
  ['v2.36/', '2.36'],
  ['v2.39/', '2.39'],
  ['v2.57/', '2.57'],
];

describe('quotas and limits match upstream samples', { skip: samplesSkip() }, () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi();
  });
  after(() => api.close());
  const diff = (body: unknown, path: string) => shapeDiff(body, sample(path));

  for (const [dir, version] of QUOTA_VERSIONS) {
    it(`os-quota-sets at ${version}`, async () => {
      const base = '/v2.1/os-quota-sets/fake_tenant';
      const show = await api.request('GET', base, { version });
      assert.deepEqual(diff(show.body, `os-quota-sets/${dir}quotas-show-get-resp.json`), []);
      // The config defaults are upstream's, so the values match too.
      assert.deepEqual(show.body, sample(`os-quota-sets/${dir}quotas-show-get-resp.json`));
      const detail = await api.request('GET', `${base}/detail`, { version });
      assert.deepEqual(
        diff(detail.body, `os-quota-sets/${dir}quotas-show-detail-get-resp.json`),
        [],
      );
      const defaults = await api.request('GET', `${base}/defaults`, { version });
      assert.deepEqual(
        diff(defaults.body, `os-quota-sets/${dir}quotas-show-defaults-get-resp.json`),
        [],
      );
      for (const name of ['quotas-update-post', 'quotas-update-force-post']) {
        const r = await api.request('PUT', base, {
          version,
          body: sample(`os-quota-sets/${dir}${name}-req.json`),
        });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(diff(r.body, `os-quota-sets/${dir}${name}-resp.json`), []);
      }
      const user = await api.request('PUT', `${base}?user_id=fake`, {
        version,
        body: sample(`os-quota-sets/${dir}user-quotas-update-post-req.json`),
      });
      assert.equal(user.status, 200, user.text);
      assert.deepEqual(
        diff(user.body, `os-quota-sets/${dir}user-quotas-update-post-resp.json`),
        [],
      );
      const userShow = await api.request('GET', `${base}?user_id=fake`, { version });
      assert.deepEqual(
        diff(userShow.body, `os-quota-sets/${dir}user-quotas-show-get-resp.json`),
        [],
      );
      assert.equal((await api.request('DELETE', base, { version })).status, 202);
    });
  }

  for (const [dir, version] of CLASS_VERSIONS) {
    it(`os-quota-class-sets at ${version}`, async () => {
      const show = await api.request('GET', '/v2.1/os-quota-class-sets/default', { version });
      assert.deepEqual(
        diff(show.body, `os-quota-class-sets/${dir}quota-classes-show-get-resp.json`),
        [],
      );
      const update = await api.request('PUT', '/v2.1/os-quota-class-sets/test_class', {
        version,
        body: sample(`os-quota-class-sets/${dir}quota-classes-update-post-req.json`),
      });
      assert.equal(update.status, 200, update.text);
      assert.deepEqual(
        update.body,
        sample(`os-quota-class-sets/${dir}quota-classes-update-post-resp.json`),
      );
    });
  }

  for (const [dir, version] of LIMIT_VERSIONS) {
    it(`limits at ${version}`, async () => {
      const r = await api.request('GET', '/v2.1/limits', { version });
      assert.deepEqual(diff(r.body, `limits/${dir}limit-get-resp.json`), []);
    });
  }
});
