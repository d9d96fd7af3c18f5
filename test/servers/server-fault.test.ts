// A boot that fails on every host ends in ERROR with a fault naming the cause, shown in the
// server body (details for admins only) and in the action's events.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

const run = promisify(execFile);

describe('servers: a boot that fails everywhere', { skip: openstackSkip() }, () => {
  let stratus: StratusHandle;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), 'stratus-server-fault-'));

  before(async () => {
    // One fake node, named as the host; every spawn on it fails.
    stratus = await startStratus({
      startTimeoutMs: 60_000,
      config: { fake: { fail_spawn_on_nodes: 'test-host' } },
    });
    env = {
      OS_CLIENT_CONFIG_FILE: join(stratus.dataDir, 'clouds.yaml'),
      OS_CLOUD: 'stratus',
      OS_COMPUTE_API_VERSION: '2.90',
    };
    const disk = join(dir, 'disk.qcow2');
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '16M']);
    const r = await openstack(
      [
        'image',
        'create',
        '--file',
        disk,
        '--disk-format',
        'qcow2',
        '--container-format',
        'bare',
        'img',
      ],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await stratus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends in ERROR with a fault that says why', async () => {
    const r = await openstack(
      [
        'server',
        'create',
        '--flavor',
        'm1.tiny',
        '--image',
        'img',
        '--network',
        'none',
        '--wait',
        'doomed',
      ],
      env,
      120_000,
    );
    // `--wait` reports the ERROR state (openstackclient 6 prints it but exits 0).
    assert.match(r.stdout + r.stderr, /Error creating server/);
    const shown = await openstack(['server', 'show', 'doomed', '-f', 'json'], env);
    assert.equal(shown.code, 0, shown.stderr);
    const server = shown.json<Record<string, any>>();
    assert.equal(server.status, 'ERROR');
    assert.equal(server['OS-EXT-STS:vm_state'], 'error');
    const fault = server.fault as { code: number; message: string; created: string };
    assert.equal(fault.code, 500);
    assert.match(fault.message, /Exceeded maximum number of retries|No valid host/);
    assert.match(fault.message, /test-host|spawn/i, fault.message);
    assert.match(fault.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const events = await openstack(['server', 'event', 'list', 'doomed', '-f', 'json'], env);
    const reqId = events.json<Record<string, string>[]>()[0]!['Request ID']!;
    const detail = (
      await openstack(['server', 'event', 'show', 'doomed', reqId, '-f', 'json'], env)
    ).json<Record<string, any>>();
    assert.equal(detail.message, 'Error');
    assert.ok(
      (detail.events as { result: string }[]).some((e) => e.result === 'Error'),
      JSON.stringify(detail),
    );

    // Deleting it frees the quota: a server in ERROR on no host is deleted locally.
    const del = await openstack(['server', 'delete', '--wait', 'doomed'], env, 120_000);
    assert.equal(del.code, 0, del.stderr);
  });
});
