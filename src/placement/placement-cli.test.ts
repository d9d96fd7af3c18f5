// The real `openstack` CLI (python3-osc-placement) against `stratus all`, logged in as the admin
// of the clouds.yaml that stratus writes: the placement commands operators use, end to end.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip, type CliResult } from '../../test/harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../../test/harness/stratus-process.js';

describe('placement: the openstack CLI against stratus all', { skip: openstackSkip() }, () => {
  let stratus: StratusHandle;
  let env: Record<string, string>;
  let rp: string;
  const consumer = '44444444-5555-4666-8777-888888888888';
  const aggregate = '11111111-2222-4333-8444-555555555555';

  async function ok(args: string[], version = '1.39'): Promise<CliResult> {
    const r = await openstack(['--os-placement-api-version', version, ...args], env);
    assert.equal(r.code, 0, `openstack ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  before(async () => {
    stratus = await startStratus({ startTimeoutMs: 60_000 });
    env = { OS_CLIENT_CONFIG_FILE: join(stratus.dataDir, 'clouds.yaml'), OS_CLOUD: 'stratus' };
  });
  after(() => stratus?.stop());

  it('creates, lists and shows a resource provider', async () => {
    rp = (await ok(['resource', 'provider', 'create', 'cli-rp', '-f', 'json'])).json().uuid;
    const list = (await ok(['resource', 'provider', 'list', '-f', 'json'])).json();
    assert.ok(list.some((p: any) => p.uuid === rp && p.name === 'cli-rp'));
    const shown = (await ok(['resource', 'provider', 'show', rp, '-f', 'json'])).json();
    assert.equal(shown.root_provider_uuid, rp);
    assert.equal(shown.generation, 0);
  });

  it('sets and lists inventory', async () => {
    await ok([
      'resource',
      'provider',
      'inventory',
      'set',
      rp,
      '--resource',
      'VCPU=8',
      '--resource',
      'VCPU:allocation_ratio=2.0',
      '--resource',
      'MEMORY_MB=4096',
      '--resource',
      'DISK_GB:total=100',
    ]);
    const inv = (await ok(['resource', 'provider', 'inventory', 'list', rp, '-f', 'json'])).json();
    const vcpu = inv.find((i: any) => i.resource_class === 'VCPU');
    assert.equal(vcpu.total, 8);
    assert.equal(vcpu.allocation_ratio, 2.0);
  });

  it('creates and lists traits and resource classes, and sets provider traits', async () => {
    await ok(['trait', 'create', 'CUSTOM_CLI_TRAIT']);
    const traits = (await ok(['trait', 'list', '-f', 'json'])).json();
    assert.ok(traits.some((t: any) => t.name === 'CUSTOM_CLI_TRAIT'));
    assert.ok(traits.some((t: any) => t.name === 'HW_CPU_X86_AVX'));
    await ok(['resource', 'class', 'create', 'CUSTOM_CLI_CLASS']);
    const classes = (await ok(['resource', 'class', 'list', '-f', 'json'])).json();
    assert.ok(classes.some((c: any) => c.name === 'CUSTOM_CLI_CLASS'));
    assert.ok(classes.some((c: any) => c.name === 'VCPU'));
    const set = (
      await ok([
        'resource',
        'provider',
        'trait',
        'set',
        rp,
        '--trait',
        'CUSTOM_CLI_TRAIT',
        '--trait',
        'HW_CPU_X86_AVX',
        '-f',
        'json',
      ])
    ).json();
    assert.deepEqual(set.map((t: any) => t.name).sort(), ['CUSTOM_CLI_TRAIT', 'HW_CPU_X86_AVX']);
  });

  it('sets aggregates with the provider generation', async () => {
    const gen = (await ok(['resource', 'provider', 'show', rp, '-f', 'json'])).json().generation;
    const stale = await openstack(
      [
        '--os-placement-api-version',
        '1.39',
        'resource',
        'provider',
        'aggregate',
        'set',
        rp,
        '--aggregate',
        aggregate,
        '--generation',
        String(gen + 5),
      ],
      env,
    );
    assert.notEqual(stale.code, 0);
    assert.match(stale.stderr, /409/);
    const aggs = (
      await ok([
        'resource',
        'provider',
        'aggregate',
        'set',
        rp,
        '--aggregate',
        aggregate,
        '--generation',
        String(gen),
        '-f',
        'json',
      ])
    ).json();
    assert.deepEqual(
      aggs.map((a: any) => a.uuid),
      [aggregate],
    );
  });

  it('lists allocation candidates', async () => {
    const cands = (
      await ok(['allocation', 'candidate', 'list', '--resource', 'VCPU=1', '-f', 'json'])
    ).json();
    const mine = cands.find((c: any) => c['resource provider'] === rp);
    assert.ok(mine, JSON.stringify(cands));
    assert.equal(mine.allocation, 'VCPU=1');
    const traited = (
      await ok([
        'allocation',
        'candidate',
        'list',
        '--resource',
        'VCPU=1',
        '--required',
        'CUSTOM_CLI_TRAIT',
        '--member-of',
        aggregate,
        '-f',
        'json',
      ])
    ).json();
    assert.deepEqual(
      traited.map((c: any) => c['resource provider']),
      [rp],
    );
  });

  it('sets and shows allocations, and shows usage', async () => {
    await ok([
      'resource',
      'provider',
      'allocation',
      'set',
      consumer,
      '--allocation',
      `rp=${rp},VCPU=2,MEMORY_MB=512`,
      '--project-id',
      'cli-project',
      '--user-id',
      'cli-user',
      '--consumer-type',
      'INSTANCE',
    ]);
    const shown = (
      await ok(['resource', 'provider', 'allocation', 'show', consumer, '-f', 'json'])
    ).json();
    assert.equal(shown.length, 1);
    assert.equal(shown[0].resource_provider, rp);
    assert.deepEqual(shown[0].resources, { VCPU: 2, MEMORY_MB: 512 });
    assert.equal(shown[0].consumer_type, 'INSTANCE');
    const usage = (await ok(['resource', 'provider', 'usage', 'show', rp, '-f', 'json'])).json();
    assert.deepEqual(Object.fromEntries(usage.map((u: any) => [u.resource_class, u.usage])), {
      VCPU: 2,
      MEMORY_MB: 512,
      DISK_GB: 0,
    });
    // An older microversion speaks the list form and still sees the allocation.
    const old = (
      await ok(['resource', 'provider', 'allocation', 'show', consumer, '-f', 'json'], '1.12')
    ).json();
    assert.deepEqual(old[0].resources, { VCPU: 2, MEMORY_MB: 512 });
  });

  it('refuses to delete a provider in use, then deletes it', async () => {
    const inUse = await openstack(['resource', 'provider', 'delete', rp], env);
    assert.notEqual(inUse.code, 0);
    assert.match(inUse.stderr, /409/);
    await ok(['resource', 'provider', 'allocation', 'delete', consumer]);
    await ok(['resource', 'provider', 'delete', rp]);
    const list = (await ok(['resource', 'provider', 'list', '-f', 'json'])).json();
    assert.ok(!list.some((p: any) => p.uuid === rp));
  });
});
