/**
 * The servers API in the distributed shape (every service its own process, PostgreSQL and
 * RabbitMQ): a server whose compute host is down is deleted at once in the database (fixed IP,
 * Placement allocation and quota released) and its guest is destroyed when the host returns;
 * 20 concurrent creates against a quota of 5 instances leave exactly 5.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/platform/db/database.js';
import { openDatabase } from '../../src/platform/db/open-database.js';
import { startDistributedCloud, type DistributedCloud } from '../harness/distributed-cloud.js';
import { openstack, openstackSkip } from '../harness/openstack-cli.js';
import { postgresSkip } from '../harness/postgres.js';
import { rabbitSkipReason } from '../harness/rabbitmq.js';
import { adminToken } from '../harness/admin-token.js';

const skip = postgresSkip() || rabbitSkipReason();
const VERSION = 'compute 2.90';

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('distributed: the servers API over PostgreSQL and RabbitMQ', { skip }, () => {
  let cloud: DistributedCloud;
  let db: Database;
  let token: string;
  let imageId: string;

  const call = async (
    service: 'compute' | 'placement' | 'image',
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const headers: Record<string, string> = { 'x-auth-token': token };
    if (service === 'compute') headers['openstack-api-version'] = VERSION;
    if (service === 'placement') headers['openstack-api-version'] = 'placement 1.4';
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${cloud.url(service)}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : undefined };
  };

  before(async () => {
    cloud = await startDistributedCloud({
      computeHosts: ['cmp1', 'cmp2'],
      config: {
        quota: { instances: '5' },
        // A host is seen down a few seconds after its agent dies.
        DEFAULT: { report_interval: '1', service_down_time: '8' },
      },
    });
    token = await adminToken(cloud.url('identity'), cloud.adminPassword);
    db = await openDatabase(cloud.databaseUrl);
    const image = await call('image', 'POST', '/v2/images', {
      name: 'img',
      disk_format: 'raw',
      container_format: 'bare',
      visibility: 'public',
    });
    imageId = image.body.id;
    const upload = await fetch(`${cloud.url('image')}/v2/images/${imageId}/file`, {
      method: 'PUT',
      headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' },
      body: randomBytes(4096),
    });
    assert.equal(upload.status, 204);
    await until('both hosts in Placement', async () => {
      const r = await call('placement', 'GET', '/resource_providers?resources=VCPU:1');
      return r.body?.resource_providers?.length === 2 ? true : undefined;
    }).catch(async (err: Error) => {
      const r = await call('placement', 'GET', '/resource_providers');
      throw new Error(`${err.message}: ${JSON.stringify(r)}`);
    });
  });
  after(async () => {
    await db?.close();
    await cloud?.stop();
  });

  async function active(id: string): Promise<any> {
    return until(`server ${id} ACTIVE`, async () => {
      const r = await call('compute', 'GET', `/v2.1/servers/${id}`);
      assert.notEqual(r.body.server.status, 'ERROR', JSON.stringify(r.body.server.fault));
      return r.body.server.status === 'ACTIVE' ? r.body.server : undefined;
    });
  }

  it('deletes a server whose host is down at once, and the host destroys its guest on return', async () => {
    const created = await call('compute', 'POST', '/v2.1/servers', {
      server: { name: 'orphan', flavorRef: '1', imageRef: imageId, networks: 'auto' },
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const id: string = created.body.server.id;
    const server = await active(id);
    const host: string = server['OS-EXT-SRV-ATTR:host'];
    assert.ok(
      cloud.guests(host).some((g) => g.uuid === id),
      'the guest runs on its host',
    );
    assert.equal(Object.values(server.addresses).flat().length, 1, 'one fixed IP');

    // The host dies and is seen down.
    const agent = cloud.processes.get(`compute:${host}`)!;
    agent.child.kill('SIGKILL');
    await new Promise((r) => agent.child.once('exit', r));
    await until(`${host} down`, async () => {
      const r = await call('compute', 'GET', `/v2.1/os-services?host=${host}`);
      return r.body.services.some((s: any) => s.state === 'down') ? true : undefined;
    });

    // The delete completes in the database at once (Nova's local delete).
    const del = await call('compute', 'DELETE', `/v2.1/servers/${id}`);
    assert.equal(del.status, 204);
    assert.equal((await call('compute', 'GET', `/v2.1/servers/${id}`)).status, 404);
    const listed = await call('compute', 'GET', '/v2.1/servers');
    assert.ok(!listed.body.servers.some((s: any) => s.id === id), 'not listed');
    const allocs = await call('placement', 'GET', `/allocations/${id}`);
    assert.deepEqual(allocs.body.allocations, {});
    const ips = await db.kysely
      .selectFrom('fixed_ips')
      .select('address')
      .where('instance_uuid', '=', id)
      .execute();
    assert.deepEqual(ips, [], 'fixed IP released');
    const limits = await call('compute', 'GET', '/v2.1/limits');
    assert.equal(limits.body.limits.absolute.totalInstancesUsed, 0, 'quota freed');
    // The hypervisor still has the guest: nobody could reach it.
    assert.ok(cloud.guests(host).some((g) => g.uuid === id));

    // The host returns: its startup recovery destroys the guest of the deleted instance.
    const back = await cloud.startCompute(host);
    await until('the guest destroyed', async () =>
      cloud.guests(host).some((g) => g.uuid === id) ? undefined : true,
    );
    assert.match(back.output(), /destroying the guest of a deleted instance/);
    assert.deepEqual((await call('placement', 'GET', `/allocations/${id}`)).body.allocations, {});
  });

  it(
    'serves the openstack CLI: create --wait, --min/--max, list --long, show, set, events, delete --wait',
    { skip: openstackSkip() },
    async () => {
      const env = { ...cloud.cliEnv, OS_COMPUTE_API_VERSION: '2.90' };
      const ok = async (args: string[]) => {
        const r = await openstack(args, env, 120_000);
        assert.equal(r.code, 0, `openstack ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
        return r;
      };
      const server = (
        await ok([
          'server',
          'create',
          '--flavor',
          'm1.tiny',
          '--image',
          imageId,
          '--network',
          'none',
          '--property',
          'role=web',
          '--wait',
          'cli-vm',
          '-f',
          'json',
        ])
      ).json<Record<string, any>>();
      assert.equal(server.status, 'ACTIVE');
      assert.ok(['cmp1', 'cmp2'].includes(server['OS-EXT-SRV-ATTR:host']));
      const id = server.id as string;
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
      const list = (await ok(['server', 'list', '--long', '-f', 'json'])).json<
        Record<string, any>[]
      >();
      assert.equal(list.length, 4, JSON.stringify(list));
      assert.ok(list.every((s) => s.Status === 'ACTIVE'));
      await ok(['server', 'set', '--name', 'cli-vm-2', '--property', 'tier=front', id]);
      const shown = (await ok(['server', 'show', id, '-f', 'json'])).json<Record<string, any>>();
      assert.equal(shown.name, 'cli-vm-2');
      assert.deepEqual(shown.properties, { role: 'web', tier: 'front' });
      const events = (await ok(['server', 'event', 'list', id, '-f', 'json'])).json<
        Record<string, any>[]
      >();
      assert.deepEqual(
        events.map((e) => e.Action),
        ['create'],
      );
      await ok(['server', 'delete', '--wait', ...list.map((s) => s.ID as string)]);
      assert.deepEqual((await ok(['server', 'list', '-f', 'json'])).json<unknown[]>(), []);
      for (const s of list) {
        const allocs = await call('placement', 'GET', `/allocations/${s.ID}`);
        assert.deepEqual(allocs.body.allocations, {}, `no allocation left for ${s.ID}`);
      }
    },
  );

  it('lets exactly 5 of 20 concurrent creates through a quota of 5 instances', async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('compute', 'POST', '/v2.1/servers', {
          server: { name: `race-${i}`, flavorRef: '1', imageRef: imageId, networks: 'none' },
        }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 202).length, 5, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 403).length, 15, JSON.stringify(statuses));
    const listed = await call('compute', 'GET', '/v2.1/servers');
    assert.equal(listed.body.servers.length, 5);
  });
});
