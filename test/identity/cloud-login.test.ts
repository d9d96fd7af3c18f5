import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

// `stratus all` bootstraps itself and writes clouds.yaml; the real CLI logs in with it.
describe(
  'identity: logging in with the clouds.yaml stratus all writes',
  { skip: openstackSkip() },
  () => {
    let stratus: StratusHandle;
    let env: Record<string, string>;

    before(async () => {
      stratus = await startStratus({ startTimeoutMs: 60_000 });
      env = { OS_CLIENT_CONFIG_FILE: join(stratus.dataDir, 'clouds.yaml'), OS_CLOUD: 'stratus' };
    });
    after(() => stratus?.stop());

    it('prints where the admin login is', () => {
      assert.match(stratus.output(), /admin login: .*clouds\.yaml \(cloud 'stratus'\)/);
    });

    it('issues a project-scoped token with `openstack token issue`', async () => {
      const r = await openstack(['--os-cloud', 'stratus', 'token', 'issue', '-f', 'json'], env);
      assert.equal(r.code, 0, r.stderr);
      const token = r.json<Record<string, string>>();
      assert.match(token.id!, /^[A-Za-z0-9_-]{100,}$/);
      assert.match(token.project_id!, /^[0-9a-f]{32}$/);
      assert.ok(Date.parse(token.expires!) > Date.now());
    });

    it('lists the catalog, with identity at its public URL', async () => {
      const r = await openstack(['catalog', 'list', '-f', 'json'], env);
      assert.equal(r.code, 0, r.stderr);
      const identity = r
        .json<{ Name: string; Type: string; Endpoints: unknown }[]>()
        .find((s) => s.Type === 'identity');
      assert.ok(identity, r.stdout);
      assert.equal(identity.Name, 'keystone');
      assert.match(JSON.stringify(identity.Endpoints), new RegExp(`${stratus.url('identity')}/v3`));
    });

    it('answers a wrong password with 401, never a 500', async () => {
      const r = await openstack(['--os-password', 'wrong', 'token', 'issue'], env);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /HTTP 401/);
    });

    it('a revoked token stops working at the co-located services at once', async () => {
      const r = await openstack(['token', 'issue', '-f', 'json'], env);
      assert.equal(r.code, 0, r.stderr);
      const token = r.json<Record<string, string>>().id!;
      const flavors = () =>
        fetch(`${stratus.url('compute')}/v2.1/flavors`, { headers: { 'x-auth-token': token } });
      // Twice, so the second answer comes from the validation cache.
      assert.equal((await flavors()).status, 200);
      assert.equal((await flavors()).status, 200);
      const revoke = await openstack(['token', 'revoke', token], env);
      assert.equal(revoke.code, 0, revoke.stderr);
      assert.equal((await flavors()).status, 401);
    });
  },
);
