// GET /servers/detail serves bodies rendered once per instance revision: every change to a
// server (name, description, metadata, tags) shows in the next listing, each microversion and caller
// gets its own rendering, and paging by marker walks every server once.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

type Server = Record<string, any>;

describe('servers: detail listings stay current', { skip: openstackSkip() }, () => {
  let stratus: StratusHandle;
  let env: Record<string, string>;
  let token: string;
  let compute: string;
  const ids: string[] = [];

  async function call(
    method: string,
    path: string,
    version: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> {
    const res = await fetch(`${compute}${path}`, {
      method,
      headers: {
        'x-auth-token': token,
        'openstack-api-version': `compute ${version}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function detail(version = '2.90', query = ''): Promise<Server[]> {
    const r = await call('GET', `/servers/detail${query}`, version);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.servers;
  }

  const byId = (servers: Server[], id: string) => servers.find((s) => s.id === id)!;

  before(async () => {
    stratus = await startStratus({ startTimeoutMs: 60_000 });
    env = { OS_CLIENT_CONFIG_FILE: join(stratus.dataDir, 'clouds.yaml'), OS_CLOUD: 'stratus' };
    const issued = await openstack(['token', 'issue', '-f', 'value', '-c', 'id'], env);
    assert.equal(issued.code, 0, issued.stderr);
    token = issued.stdout.trim();
    compute = `${stratus.url('compute')}/v2.1`;
    const image = await fetch(`${stratus.url('image')}/v2/images`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'img', disk_format: 'raw', container_format: 'bare' }),
    });
    const imageId = ((await image.json()) as { id: string }).id;
    await fetch(`${stratus.url('image')}/v2/images/${imageId}/file`, {
      method: 'PUT',
      headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(1024),
    });
    for (let i = 0; i < 5; i++) {
      const r = await call('POST', '/servers', '2.90', {
        server: { name: `vm${i}`, imageRef: imageId, flavorRef: '1', networks: 'auto' },
      });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      ids.push(r.body.server.id);
    }
    for (let i = 0; i < 300; i++) {
      if ((await detail()).every((s) => s.status === 'ACTIVE')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('servers did not become ACTIVE');
  });
  after(() => stratus?.stop());

  it('answers the same body twice, and each change in the next one', async () => {
    const first = await detail();
    assert.deepEqual(await detail(), first);
    const id = ids[0]!;

    const set = await openstack(
      ['server', 'set', '--name', 'renamed', '--property', 'role=web', id],
      { ...env, OS_COMPUTE_API_VERSION: '2.90' },
    );
    assert.equal(set.code, 0, set.stderr);
    let s = byId(await detail(), id);
    assert.equal(s.name, 'renamed');
    assert.deepEqual(s.metadata, { role: 'web' });
    const shown = (await call('GET', `/servers/${id}`, '2.90')).body.server;
    assert.equal(shown.name, 'renamed');
    assert.deepEqual(shown.server_groups, []);
    assert.deepEqual({ ...shown, server_groups: undefined }, { ...s, server_groups: undefined });

    assert.equal((await call('PUT', `/servers/${id}/tags/blue`, '2.90')).status, 201);
    assert.deepEqual(byId(await detail(), id).tags, ['blue']);
    assert.equal((await call('DELETE', `/servers/${id}/metadata/role`, '2.90')).status, 204);
    assert.deepEqual(byId(await detail(), id).metadata, {});

    const put = await call('PUT', `/servers/${id}`, '2.90', { server: { description: 'd' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    s = byId(await detail(), id);
    assert.equal(s.description, 'd');
    assert.deepEqual(
      (await detail('2.90', '?name=^renamed$')).map((x) => x.id),
      [id],
    );
  });

  it('filters by address with ip (a regular expression matched from the start)', async () => {
    const id = ids[2]!;
    const shown = (await call('GET', `/servers/${id}`, '2.90')).body.server;
    const addr = (Object.values(shown.addresses)[0] as { addr: string }[])[0]!.addr;
    assert.match(addr, /^10\.0\.0\.\d+$/);
    const escaped = addr.replaceAll('.', '\\.');
    assert.deepEqual(
      (await detail('2.90', `?ip=${encodeURIComponent(`${escaped}$`)}`)).map((s) => s.id),
      [id],
    );
    assert.equal((await detail('2.90', '?ip=10.0')).length, ids.length);
    assert.deepEqual(await detail('2.90', '?ip=0.0'), []);
  });

  it('shows the host status of the compute service, as it changes', async () => {
    const services = (await call('GET', '/os-services', '2.53')).body.services as {
      id: string;
      binary: string;
    }[];
    const compute = services.find((svc) => svc.binary.endsWith('compute'))!;
    const statuses = async () => [
      ...new Set([
        ...(await detail()).map((x) => x.host_status),
        (await call('GET', `/servers/${ids[0]}`, '2.90')).body.server.host_status,
      ]),
    ];
    const put = async (body: unknown) =>
      assert.equal((await call('PUT', `/os-services/${compute.id}`, '2.53', body)).status, 200);
    assert.deepEqual(await statuses(), ['UP']);
    await put({ status: 'disabled', disabled_reason: 'maintenance' });
    assert.deepEqual(await statuses(), ['MAINTENANCE']);
    await put({ forced_down: true });
    assert.deepEqual(await statuses(), ['DOWN']);
    await put({ forced_down: false, status: 'enabled' });
    assert.deepEqual(await statuses(), ['UP']);
    assert.equal(byId(await detail('2.15'), ids[0]!).host_status, undefined);
  });

  it('renders each microversion on its own', async () => {
    const id = ids[1]!;
    const old = byId(await detail('2.1'), id);
    const embedded = byId(await detail('2.47'), id);
    assert.equal(old.flavor.id, '1');
    assert.equal(embedded.flavor.id, undefined);
    assert.equal(embedded.flavor.original_name, 'm1.tiny');
    assert.equal(old.locked, undefined);
    assert.equal(old.tags, undefined);
  });

  it('pages by marker through every server once, newest first', async () => {
    const all = (await detail()).map((s) => s.id);
    assert.deepEqual([...all].sort(), [...ids].sort());
    const seen: string[] = [];
    let query = '?limit=2';
    for (;;) {
      const r = await call('GET', `/servers/detail${query}`, '2.90');
      seen.push(...r.body.servers.map((s: Server) => s.id));
      const next = r.body.servers_links?.find((l: { rel: string }) => l.rel === 'next');
      if (!next) break;
      query = new URL(next.href).search;
    }
    assert.deepEqual(seen, all);
    assert.deepEqual(seen, [...ids].reverse());
  });
});
