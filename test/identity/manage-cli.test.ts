import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { openstack, openstackSkip } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'stratus.js');

function stratus(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, STRATUS_FROM_SOURCE: '1' } },
      (err, stdout, stderr) =>
        res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('stratus manage bootstrap and token-keys', { skip: openstackSkip() }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stratus-manage-'));
  let running: StratusHandle | undefined;
  after(async () => {
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('bootstraps idempotently', async () => {
    const first = await stratus([
      'manage',
      'bootstrap',
      '--admin-password',
      'pw',
      '--data-dir',
      dataDir,
    ]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /bootstrapped: admin user [0-9a-f]{32} \(created\)/);
    const again = await stratus([
      'manage',
      'bootstrap',
      '--admin-password',
      'pw',
      '--data-dir',
      dataDir,
    ]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /created/);
  });

  it('keeps tokens valid across key rotations until they expire', async () => {
    running = await startStratus({
      dataDir,
      config: { bootstrap: { admin_password: 'pw' } },
      startTimeoutMs: 60_000,
    });
    const env = { OS_CLIENT_CONFIG_FILE: join(dataDir, 'clouds.yaml'), OS_CLOUD: 'stratus' };
    const issued = await openstack(['token', 'issue', '-f', 'json'], env);
    assert.equal(issued.code, 0, issued.stderr);
    const old = issued.json().id as string;
    const withOld = {
      OS_AUTH_URL: `${running.url('identity')}/v3`,
      OS_AUTH_TYPE: 'token',
      OS_TOKEN: old,
      OS_PROJECT_NAME: 'admin',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_IDENTITY_API_VERSION: '3',
    };
    for (let i = 0; i < 3; i++) {
      const r = await stratus(['manage', 'token-keys', 'rotate', '--data-dir', dataDir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /rotated .*: primary key \d+/);
    }
    // Beyond max_active_keys (3), but the old keys may still have unexpired tokens: kept.
    assert.ok(readdirSync(join(dataDir, 'token-keys')).filter((f) => /^\d+$/.test(f)).length > 3);
    const stillValid = await openstack(['token', 'issue', '-f', 'json'], withOld);
    assert.equal(stillValid.code, 0, stillValid.stderr);
    const fresh = await openstack(['project', 'list', '-f', 'json'], env);
    assert.equal(fresh.code, 0, fresh.stderr);
    const list = await stratus(['manage', 'token-keys', 'list', '--data-dir', dataDir]);
    assert.match(list.stdout, /^0\tstaged\t/m);
    assert.match(list.stdout, /\tprimary\t/);
  });
});
