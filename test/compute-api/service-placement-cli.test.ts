/**
 * A compute host's resource provider in Placement, seen through the real `openstack` CLI
 * (osc-placement) against `stratus all`: `stratus manage placement sync_aggregates` puts a host
 * aggregate back on a provider that lacks it, and `openstack compute service delete` deletes
 * the host's provider.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip, type CliResult } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'stratus.js');

function stratusCommand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, STRATUS_FROM_SOURCE: '1' }, timeout: 60_000 },
      (err, stdout, stderr) =>
        res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('compute hosts in Placement through the openstack CLI', { skip: openstackSkip() }, () => {
  let stratus: StratusHandle;
  let env: Record<string, string>;
  let rp: string;
  let aggregate: string;
  const os = async (...args: string[]): Promise<CliResult> => {
    const r = await openstack(args, env);
    assert.equal(r.code, 0, `openstack ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const json = async (...args: string[]) => (await os(...args, '-f', 'json')).json();
  const providerAggregates = async (): Promise<string[]> =>
    (
      await json(
        '--os-placement-api-version',
        '1.19',
        'resource',
        'provider',
        'aggregate',
        'list',
        rp,
      )
    ).map((a: { uuid: string }) => a.uuid);

  before(async () => {
    stratus = await startStratus({ startTimeoutMs: 120_000 });
    env = { OS_CLIENT_CONFIG_FILE: join(stratus.dataDir, 'clouds.yaml'), OS_CLOUD: 'stratus' };
    // The compute agent reports its node (hypervisor uuid = provider uuid) once it is up.
    for (let i = 0; i < 120 && !rp; i++) {
      const hvs = await json('--os-compute-api-version', '2.53', 'hypervisor', 'list');
      const providers = await json('resource', 'provider', 'list');
      const node = hvs.find((h: any) => providers.some((p: any) => p.uuid === h.ID));
      if (node) rp = node.ID;
      else await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(rp, 'the compute host reported its resource provider');
  });
  after(async () => {
    await stratus?.stop();
  });

  it('sync_aggregates puts a host aggregate back on a provider that lacks it', async () => {
    aggregate = (await json('aggregate', 'create', 'sync-agg')).uuid;
    await os('aggregate', 'add', 'host', 'sync-agg', 'test-host');
    assert.deepEqual(await providerAggregates(), [aggregate]);
    // As if the provider had been created after the host joined the aggregate.
    const generation = String((await json('resource', 'provider', 'show', rp)).generation);
    await os(
      '--os-placement-api-version',
      '1.19',
      'resource',
      'provider',
      'aggregate',
      'set',
      '--generation',
      generation,
      rp,
    );
    assert.deepEqual(await providerAggregates(), []);
    const flags = ['--config-file', stratus.configFile, '--data-dir', stratus.dataDir];
    const r = await stratusCommand([
      'manage',
      'placement',
      'sync_aggregates',
      '--verbose',
      ...flags,
    ]);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(
      r.stdout,
      new RegExp(`Successfully added host \\(test-host\\) and provider \\(${rp}\\) to aggregate`),
    );
    assert.deepEqual(await providerAggregates(), [aggregate]);
  });

  it("compute service delete deletes the host's resource provider", async () => {
    const services = await json('--os-compute-api-version', '2.53', 'compute', 'service', 'list');
    const compute = services.find(
      (s: any) => s.Binary === 'stratus-compute' && s.Host === 'test-host',
    );
    assert.ok(compute, JSON.stringify(services));
    await os('--os-compute-api-version', '2.53', 'compute', 'service', 'delete', compute.ID);
    const providers = await json('resource', 'provider', 'list');
    assert.ok(!providers.some((p: any) => p.uuid === rp), JSON.stringify(providers));
    assert.deepEqual((await json('aggregate', 'show', 'sync-agg')).hosts, []);
  });
});
