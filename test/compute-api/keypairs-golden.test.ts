import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { SAMPLES_DIR, sample, samplesSkip, shapeDiff } from './harness/upstream-samples.js';

const VERSIONS: [dir: string, version: string][] = [
  ['', '2.1'],
  ['v2.2/', '2.2'],
  ['v2.10/', '2.10'],
  ['v2.35/', '2.35'],
  ['v2.92/', '2.92'],
];

const has = (path: string) => existsSync(join(SAMPLES_DIR, 'os-keypairs', path));

describe('key pairs match upstream samples', { skip: samplesSkip() }, () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi();
  });
  after(() => api.close());

  for (const [dir, version] of VERSIONS) {
    it(`create, import, show and list at ${version}`, async () => {
      const userQuery = version === '2.1' || version === '2.2' ? '' : '?user_id=fake';
      const owner = userQuery ? 'fake' : 'admin';
      let shown: string | undefined;
      if (has(`${dir}keypairs-post-req.json`)) {
        const req = sample(`os-keypairs/${dir}keypairs-post-req.json`);
        req.keypair.name = `gen-${version.replace('.', '_')}`;
        const r = await api.request('POST', '/v2.1/os-keypairs', { version, body: req });
        if (has(`${dir}keypairs-post-resp.json`)) {
          assert.equal(r.status, version === '2.1' ? 200 : 201, r.text);
          assert.deepEqual(
            shapeDiff(r.body, sample(`os-keypairs/${dir}keypairs-post-resp.json`)),
            [],
          );
          assert.match(r.body.keypair.private_key, /^-----BEGIN RSA PRIVATE KEY-----/);
          shown = req.keypair.name;
        } else {
          // 2.92: generation is gone, public_key is required.
          assert.equal(r.status, 400, r.text);
        }
      }
      if (has(`${dir}keypairs-import-post-req.json`)) {
        const req = sample(`os-keypairs/${dir}keypairs-import-post-req.json`);
        if (version !== '2.92') req.keypair.name = `imp-${version.replace('.', '_')}`;
        const r = await api.request('POST', '/v2.1/os-keypairs', { version, body: req });
        assert.ok(r.status === 200 || r.status === 201, r.text);
        const expected = sample(`os-keypairs/${dir}keypairs-import-post-resp.json`);
        assert.deepEqual(shapeDiff(r.body, expected), []);
        // The fingerprint is computed from the key: it must be upstream's exactly.
        assert.equal(r.body.keypair.fingerprint, expected.keypair.fingerprint);
        shown ??= req.keypair.name;
      }
      if (has(`${dir}keypairs-get-resp.json`) && shown) {
        const r = await api.request(
          'GET',
          `/v2.1/os-keypairs/${encodeURIComponent(shown)}${userQuery}`,
          {
            version,
          },
        );
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(shapeDiff(r.body, sample(`os-keypairs/${dir}keypairs-get-resp.json`)), []);
      }
      if (has(`${dir}keypairs-list-resp.json`)) {
        const paged =
          version === '2.35' ? `${userQuery ? `${userQuery}&` : '?'}limit=1` : userQuery;
        const r = await api.request('GET', `/v2.1/os-keypairs${paged}`, { version });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(
          shapeDiff(r.body, sample(`os-keypairs/${dir}keypairs-list-resp.json`)),
          [],
        );
        assert.ok(
          r.body.keypairs.every((k: any) => typeof k.keypair.name === 'string'),
          owner,
        );
      }
    });
  }
});
