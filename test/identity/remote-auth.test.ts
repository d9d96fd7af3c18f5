import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

// A service in its own process validates tokens through the identity API of another process,
// with the [keystone_authtoken] service user, as keystonemiddleware does.
describe('identity: token validation from another process', { skip: openstackSkip() }, () => {
  let cloud: StratusHandle;
  let placement: StratusHandle | undefined;
  let admin: Record<string, string>;

  before(async () => {
    cloud = await startStratus({ startTimeoutMs: 60_000 });
    admin = { OS_CLIENT_CONFIG_FILE: join(cloud.dataDir, 'clouds.yaml'), OS_CLOUD: 'stratus' };
    for (const args of [
      ['user', 'create', '--password', 'svc-pw', 'placement'],
      ['role', 'add', '--project', 'service', '--user', 'placement', 'service'],
    ]) {
      const r = await openstack(args, admin);
      assert.equal(r.code, 0, r.stderr);
    }
    placement = await startStratus({
      command: 'placement',
      config: {
        keystone_authtoken: {
          auth_url: cloud.url('identity'),
          username: 'placement',
          password: 'svc-pw',
          project_name: 'service',
        },
      },
      startTimeoutMs: 60_000,
    });
  });
  after(async () => {
    await placement?.stop();
    await cloud?.stop();
  });

  it('accepts a valid token and rejects others with 401', async () => {
    const issued = await openstack(['token', 'issue', '-f', 'json'], admin);
    assert.equal(issued.code, 0, issued.stderr);
    const url = `${placement!.url('placement')}/resource_providers`;
    const ok = await fetch(url, { headers: { 'x-auth-token': issued.json().id } });
    assert.equal(ok.status, 200, await ok.clone().text());
    const bad = await fetch(url, { headers: { 'x-auth-token': 'not-a-token' } });
    assert.equal(bad.status, 401);
    const none = await fetch(url);
    assert.equal(none.status, 401);
  });
});
