// The servers API end to end: the real `openstack` CLI against `stratus all` (fake driver):
// create and wait, multi-create, list, show, set, events, delete; a member of another project
// cannot see the admin's servers; 20 concurrent creates against a quota of 5 leave exactly 5.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip, type CliResult } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';
import { sample, samplesSkip } from '../compute-api/harness/upstream-samples.js';
import { hasSample, SERVER_SAMPLE_VERSIONS, serverShapeDiff } from './server-golden.js';

const run = promisify(execFile);
/** openstackclient 6 speaks 2.1 unless told; `--network none` needs 2.37. */
const COMPUTE_VERSION = '2.90';

describe('servers: the openstack CLI against stratus all', { skip: openstackSkip() }, () => {
  let stratus: StratusHandle;
  let admin: Record<string, string>;
  let demo: Record<string, string>;
  let imageId: string;
  const dir = mkdtempSync(join(tmpdir(), 'stratus-servers-cli-'));

  async function ok(args: string[], env = admin, timeoutMs = 120_000): Promise<CliResult> {
    const r = await openstack(args, env, timeoutMs);
    assert.equal(r.code, 0, `openstack ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  before(async () => {
    stratus = await startStratus({ startTimeoutMs: 60_000, config: { quota: { instances: '5' } } });
    admin = {
      OS_CLIENT_CONFIG_FILE: join(stratus.dataDir, 'clouds.yaml'),
      OS_CLOUD: 'stratus',
      OS_COMPUTE_API_VERSION: COMPUTE_VERSION,
    };
    const disk = join(dir, 'disk.qcow2');
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '16M']);
    const img = await ok([
      'image',
      'create',
      '--file',
      disk,
      '--disk-format',
      'qcow2',
      '--container-format',
      'bare',
      '--public',
      'cirros',
      '-f',
      'value',
      '-c',
      'id',
    ]);
    imageId = img.stdout.trim();
    await ok(['project', 'create', 'demo']);
    await ok(['user', 'create', '--password', 'demo-pw', 'demo-user']);
    await ok(['role', 'add', '--user', 'demo-user', '--project', 'demo', 'member']);
    demo = {
      OS_AUTH_URL: `${stratus.url('identity')}/v3`,
      OS_USERNAME: 'demo-user',
      OS_PASSWORD: 'demo-pw',
      OS_PROJECT_NAME: 'demo',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_IDENTITY_API_VERSION: '3',
      OS_COMPUTE_API_VERSION: COMPUTE_VERSION,
    };
  });
  after(async () => {
    await stratus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a server and waits for ACTIVE, then shows, lists, renames, lists events and deletes it', async () => {
    const created = await ok([
      'server',
      'create',
      '--flavor',
      'm1.tiny',
      '--image',
      'cirros',
      '--network',
      'none',
      '--property',
      'role=web',
      '--wait',
      'vm1',
      '-f',
      'json',
    ]);
    const server = created.json<Record<string, any>>();
    assert.equal(server.status, 'ACTIVE');
    assert.equal(server['OS-EXT-STS:vm_state'], 'active');
    assert.equal(server['OS-EXT-STS:power_state'], 1);
    assert.equal(server['OS-EXT-SRV-ATTR:host'], 'test-host');
    assert.equal(server.flavor.original_name, 'm1.tiny');
    assert.deepEqual(server.addresses, {});
    const id = server.id as string;

    const shown = (await ok(['server', 'show', id, '-f', 'json'])).json<Record<string, any>>();
    assert.equal(shown.name, 'vm1');
    assert.equal(shown.properties?.role ?? shown.metadata?.role, 'web');

    const list = (await ok(['server', 'list', '--long', '-f', 'json'])).json<
      Record<string, any>[]
    >();
    const row = list.find((s) => s.ID === id);
    assert.ok(row, JSON.stringify(list));
    assert.equal(row.Status, 'ACTIVE');
    assert.equal(row.Host, 'test-host');
    assert.equal(row['Image ID'], imageId);

    await ok(['server', 'set', '--name', 'vm1-renamed', '--property', 'tier=front', id]);
    const renamed = (await ok(['server', 'show', id, '-f', 'json'])).json<Record<string, any>>();
    assert.equal(renamed.name, 'vm1-renamed');
    const props = renamed.properties as Record<string, string>;
    assert.equal(props.role, 'web');
    assert.equal(props.tier, 'front');

    const events = (await ok(['server', 'event', 'list', id, '-f', 'json'])).json<
      Record<string, any>[]
    >();
    assert.deepEqual(
      events.map((e) => e.Action),
      ['create'],
    );
    const reqId = events[0]!['Request ID'] as string;
    const detail = (await ok(['server', 'event', 'show', id, reqId, '-f', 'json'])).json<
      Record<string, any>
    >();
    const names = (detail.events as { event: string; result: string }[]).map(
      (e) => `${e.event}:${e.result}`,
    );
    assert.ok(names.includes('compute__do_build_and_run_instance:Success'), names.join(','));

    // Another project's member sees no trace of it: 404, as upstream.
    const foreign = await openstack(['server', 'show', id], demo);
    assert.notEqual(foreign.code, 0);
    assert.match(foreign.stderr, /No server with a name or ID/);

    await ok(['server', 'delete', '--wait', id]);
    const gone = await openstack(['server', 'show', id], admin);
    assert.notEqual(gone.code, 0);
    const after = (await ok(['server', 'event', 'list', id, '-f', 'json'])).json<
      Record<string, any>[]
    >();
    assert.deepEqual(after.map((e) => e.Action).sort(), ['create', 'delete']);
  });

  it('creates three at once with --min 3 --max 3, sharing a reservation', async () => {
    await ok([
      'server',
      'create',
      '--flavor',
      'm1.tiny',
      '--image',
      imageId,
      '--network',
      'none',
      '--min',
      '3',
      '--max',
      '3',
      '--wait',
      'multi',
    ]);
    const list = (await ok(['server', 'list', '--name', '^multi', '--long', '-f', 'json'])).json<
      Record<string, any>[]
    >();
    assert.deepEqual(list.map((s) => s.Name).sort(), ['multi-1', 'multi-2', 'multi-3']);
    assert.ok(
      list.every((s) => s.Status === 'ACTIVE'),
      JSON.stringify(list),
    );
    const shown = await Promise.all(
      list.map(async (s) =>
        (await ok(['server', 'show', s.ID, '-f', 'json'])).json<Record<string, any>>(),
      ),
    );
    assert.equal(new Set(shown.map((s) => s['OS-EXT-SRV-ATTR:reservation_id'])).size, 1);
    assert.deepEqual(shown.map((s) => s['OS-EXT-SRV-ATTR:launch_index']).sort(), [0, 1, 2]);
  });

  it('--nic auto boots with a fixed IP of the flat network, shown by server show and list', async () => {
    const created = await ok([
      'server',
      'create',
      '--flavor',
      'm1.tiny',
      '--image',
      imageId,
      '--nic',
      'auto',
      '--wait',
      'auto-net',
      '-f',
      'json',
    ]);
    const server = created.json<Record<string, any>>();
    assert.equal(server.status, 'ACTIVE');
    const shown = (await ok(['server', 'show', server.id, '-f', 'json'])).json<
      Record<string, any>
    >();
    const addresses = shown.addresses as Record<string, string[]>;
    assert.deepEqual(Object.keys(addresses), ['private']);
    assert.match(addresses.private![0]!, /^10\.0\.0\.\d+$/);
    const ip = addresses.private![0]!;
    const list = (await ok(['server', 'list', '--long', '-f', 'json'])).json<
      Record<string, any>[]
    >();
    const row = list.find((s) => s.ID === server.id)!;
    assert.match(JSON.stringify(row.Networks), new RegExp(ip.replace(/\./g, '\\.')));
    await ok(['server', 'delete', '--wait', server.id]);
  });

  it('lets exactly 5 of 20 concurrent creates through a quota of 5 instances', async () => {
    const token = (await ok(['token', 'issue', '-f', 'value', '-c', 'id'], demo)).stdout.trim();
    const url = `${stratus.url('compute')}/v2.1/servers`;
    const body = JSON.stringify({
      server: { name: 'race', flavorRef: '1', imageRef: imageId, networks: 'none' },
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(url, {
          method: 'POST',
          headers: {
            'x-auth-token': token,
            'content-type': 'application/json',
            'openstack-api-version': 'compute 2.90',
          },
          body,
        }).then(async (res) => ({ status: res.status, body: await res.text() })),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 202).length, 5, JSON.stringify(results));
    assert.equal(statuses.filter((s) => s === 403).length, 15, JSON.stringify(results));
    assert.match(results.find((r) => r.status === 403)!.body, /Quota exceeded for instances/);
    const listed = await fetch(`${url}/detail`, {
      headers: { 'x-auth-token': token, 'openstack-api-version': 'compute 2.90' },
    }).then((r) => r.json() as Promise<{ servers: unknown[] }>);
    assert.equal(listed.servers.length, 5);
  });

  it(
    'renders servers as the upstream samples at each microversion (after the race: the member has servers)',
    { skip: samplesSkip() },
    async () => {
      // Upstream recorded the samples as an admin until 2.90 and as a project member from 2.90.
      const adminToken = (await ok(['token', 'issue', '-f', 'value', '-c', 'id'])).stdout.trim();
      const memberToken = (
        await ok(['token', 'issue', '-f', 'value', '-c', 'id'], demo)
      ).stdout.trim();
      let token = adminToken;
      const get = async (path: string, version: string) => {
        const res = await fetch(`${stratus.url('compute')}/v2.1${path}`, {
          headers: { 'x-auth-token': token, 'openstack-api-version': `compute ${version}` },
        });
        assert.equal(res.status, 200, path);
        return res.json() as Promise<Record<string, any>>;
      };
      const adminId = (await get('/servers?name=^multi&limit=1', '2.1')).servers[0].id as string;
      token = memberToken;
      const memberId = (await get('/servers?limit=1', '2.1')).servers[0].id as string;
      const problems: string[] = [];
      for (const [dir, version] of SERVER_SAMPLE_VERSIONS) {
        const asMember = Number(version.split('.')[1]) >= 90;
        token = asMember ? memberToken : adminToken;
        const id = asMember ? memberId : adminId;
        if (hasSample(`servers/${dir}server-get-resp.json`)) {
          const show = await get(`/servers/${id}`, version);
          const expected = sample(`servers/${dir}server-get-resp.json`);
          problems.push(
            ...serverShapeDiff(show.server, expected.server).map((d) => `${version} show ${d}`),
          );
        }
        if (hasSample(`servers/${dir}servers-details-resp.json`)) {
          const detail = await get('/servers/detail?limit=1', version);
          const exp = sample(`servers/${dir}servers-details-resp.json`);
          problems.push(
            ...serverShapeDiff(detail.servers[0], exp.servers[0]).map(
              (d) => `${version} detail ${d}`,
            ),
          );
        }
        if (hasSample(`servers/${dir}servers-list-resp.json`)) {
          const list = await get('/servers?limit=1', version);
          const expList = sample(`servers/${dir}servers-list-resp.json`);
          problems.push(...serverShapeDiff(list, expList).map((d) => `${version} list ${d}`));
        }
      }
      assert.deepEqual(problems, []);
    },
  );
});
