/**
 * The real `openstack` CLI against `stratus all`, through the clouds.yaml it writes: the
 * compute commands an operator and a user start with.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip, type CliResult } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKu9yKWp6AxKd1C7kGIhQk7a0VwMnjq9E+r0tsHgyXbq cli@test';

describe('openstack CLI against stratus all: compute', { skip: openstackSkip() }, () => {
  let stratus: StratusHandle;
  let env: Record<string, string>;
  let project: string;
  let dir: string;
  const os = async (...args: string[]): Promise<CliResult> => {
    const r = await openstack(args, env);
    assert.equal(r.code, 0, `openstack ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  const json = async (...args: string[]) => (await os(...args, '-f', 'json')).json();

  before(async () => {
    stratus = await startStratus({ startTimeoutMs: 120_000 });
    env = { OS_CLIENT_CONFIG_FILE: join(stratus.dataDir, 'clouds.yaml'), OS_CLOUD: 'stratus' };
    project = (await json('token', 'issue')).project_id;
    dir = mkdtempSync(join(tmpdir(), 'stratus-cli-keys-'));
  });
  after(async () => {
    await stratus?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates a private flavor with properties, shows, lists, sets, unsets and deletes it', async () => {
    const f = await json(
      'flavor',
      'create',
      '--vcpus',
      '2',
      '--ram',
      '256',
      '--disk',
      '1',
      '--property',
      'hw:cpu_policy=shared',
      '--private',
      'cli.small',
    );
    assert.equal(f['os-flavor-access:is_public'], false);
    assert.equal(f.ram, 256);
    const shown = await json('flavor', 'show', 'cli.small');
    assert.deepEqual(shown.properties, { 'hw:cpu_policy': 'shared' });
    const all = await json('flavor', 'list', '--all');
    assert.ok(all.some((x: any) => x.Name === 'cli.small'));
    const pub = await json('flavor', 'list');
    assert.ok(pub.some((x: any) => x.Name === 'm1.tiny'));
    await os('flavor', 'set', '--property', 'hw:numa_nodes=1', 'cli.small');
    await os('flavor', 'unset', '--property', 'hw:cpu_policy', 'cli.small');
    await os('flavor', 'set', '--project', project, 'cli.small');
    const after = await json('flavor', 'show', 'cli.small');
    assert.deepEqual(after.properties, { 'hw:numa_nodes': '1' });
    assert.deepEqual(after.access_project_ids, [project]);
    await os('flavor', 'delete', 'cli.small');
    const gone = await openstack(['flavor', 'show', 'cli.small'], env);
    assert.notEqual(gone.code, 0);
  });

  it('imports, lists, shows and deletes a key pair', async () => {
    const file = join(dir, 'id.pub');
    writeFileSync(file, `${ED25519}\n`);
    const k = await json('keypair', 'create', '--public-key', file, 'cli-key');
    assert.match(k.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const list = await json('keypair', 'list');
    assert.deepEqual(
      list.map((x: any) => x.Name),
      ['cli-key'],
    );
    const shown = await json('keypair', 'show', 'cli-key');
    assert.equal(shown.fingerprint, k.fingerprint);
    await os('keypair', 'delete', 'cli-key');
    assert.deepEqual(await json('keypair', 'list'), []);
  });

  it('shows absolute limits and quotas, and sets quotas', async () => {
    const limits = await json('limits', 'show', '--absolute');
    const byName = Object.fromEntries(limits.map((l: any) => [l.Name, l.Value]));
    assert.equal(byName.maxTotalInstances, 10);
    assert.equal(byName.totalCoresUsed, 0);
    await os('quota', 'set', '--instances', '5', '--cores', '10', project);
    const q = await json('quota', 'show', project);
    assert.equal(q.instances, 5);
    assert.equal(q.cores, 10);
  });

  it('lists availability zones, compute services and hypervisors, and disables a service', async () => {
    const zones = await json('availability', 'zone', 'list', '--compute');
    assert.ok(
      zones.some((z: any) => z['Zone Name'] === 'nova' && z['Zone Status'] === 'available'),
    );
    const services = await json('compute', 'service', 'list');
    const compute = services.find((s: any) => s.Binary === 'stratus-compute');
    assert.ok(compute, JSON.stringify(services));
    await os(
      'compute',
      'service',
      'set',
      '--disable',
      '--disable-reason',
      'cli test',
      compute.Host,
      'stratus-compute',
    );
    const disabled = await json(
      'compute',
      'service',
      'list',
      '--service',
      'stratus-compute',
      '--long',
    );
    assert.equal(disabled[0].Status, 'disabled');
    assert.equal(disabled[0]['Disabled Reason'], 'cli test');
    await os('compute', 'service', 'set', '--enable', compute.Host, 'stratus-compute');
    const hypervisors = await json('hypervisor', 'list');
    assert.equal(hypervisors.length, 1);
    const hv = await json('hypervisor', 'show', String(hypervisors[0].ID));
    assert.equal(
      hv.hypervisor_hostname ?? hv['Hypervisor Hostname'],
      hypervisors[0]['Hypervisor Hostname'],
    );
  });

  it('creates, lists and deletes an anti-affinity server group', async () => {
    const g = await json('server', 'group', 'create', '--policy', 'anti-affinity', 'cli-group');
    assert.equal(g.name, 'cli-group');
    const list = await json('server', 'group', 'list');
    assert.deepEqual(
      list.map((x: any) => x.Name),
      ['cli-group'],
    );
    await os('server', 'group', 'delete', 'cli-group');
    assert.deepEqual(await json('server', 'group', 'list'), []);
  });

  it('manages an aggregate in zone az1 with a host and properties', async () => {
    const host = (await json('compute', 'service', 'list', '--service', 'stratus-compute'))[0].Host;
    const a = await json('aggregate', 'create', '--zone', 'az1', 'cli-agg');
    assert.equal(a.availability_zone, 'az1');
    await os('aggregate', 'add', 'host', 'cli-agg', host);
    await os('aggregate', 'set', '--property', 'ssd=true', 'cli-agg');
    const list = await json('aggregate', 'list', '--long');
    assert.equal(list.length, 1);
    const shown = await json('aggregate', 'show', 'cli-agg');
    assert.deepEqual(shown.hosts, [host]);
    assert.match(JSON.stringify(shown.properties), /ssd.{0,6}true/);
    const zones = await json('availability', 'zone', 'list', '--compute');
    assert.ok(
      zones.some((z: any) => z['Zone Name'] === 'az1'),
      'the host moved to az1',
    );
    await os('aggregate', 'remove', 'host', 'cli-agg', host);
    await os('aggregate', 'delete', 'cli-agg');
    assert.deepEqual(await json('aggregate', 'list'), []);
  });

  it('lists usage', async () => {
    const usage = await json('usage', 'list');
    assert.ok(Array.isArray(usage));
  });
});
