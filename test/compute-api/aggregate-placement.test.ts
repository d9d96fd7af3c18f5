// Host aggregates mirrored into a real Placement API through the placement client, and a
// deleted compute service's resource providers deleted there.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { systemClock } from '../../src/common/clock.js';
import { ServiceSession } from '../../src/platform/auth/service-session.js';
import { PlacementClient } from '../../src/placement/client.js';
import {
  startPlacementTestApp,
  type PlacementTestApp,
} from '../../src/placement/testing/placement-test-app.js';
import { dialectSuite } from '../harness/dialects.js';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { addComputeHost, addServer } from './harness/hosts.js';
import {
  SyncAggregatesExit,
  syncAggregates,
} from '../../src/compute/api/aggregates/aggregate-sync.js';
import { AggregateStore } from '../../src/compute/api/store/aggregate-store.js';
import { CellRecords } from '../../src/compute/api/store/cell-records.js';
import { randomIds } from '../../src/common/ids.js';

dialectSuite('sqlite', 'aggregates and compute nodes mirrored into Placement', (dialect) => {
  let placement: PlacementTestApp;
  let client: PlacementClient;
  let api: ComputeApiHandle;
  let h1: Awaited<ReturnType<typeof addComputeHost>>;
  let h2: Awaited<ReturnType<typeof addComputeHost>>;
  before(async () => {
    placement = await startPlacementTestApp(dialect);
    await placement.app.listen({ host: '127.0.0.1', port: 0 });
    const address = placement.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    client = new PlacementClient(
      new ServiceSession({
        credentials: () => undefined,
        staticToken: 'admin',
        endpointOverrides: {},
        fallbackEndpoints: { placement: url },
        interface: 'public',
        clock: systemClock,
        timeoutMs: 10_000,
      }),
    );
    api = await startComputeApi({ placement: client });
    h1 = await addComputeHost(api, 'h1');
    // The agent reports each node as a provider with the node's uuid.
    await client.ensureProvider(h1.nodeUuid, 'h1.example.com');
    // h2 has not reported to Placement yet.
    h2 = await addComputeHost(api, 'h2');
  });
  after(async () => {
    await api?.close();
    await placement?.close();
  });

  const create = async (name: string): Promise<{ id: number; uuid: string }> => {
    const r = await api.request('POST', '/v2.1/os-aggregates', {
      version: '2.41',
      body: { aggregate: { name } },
    });
    assert.equal(r.status, 200, r.text);
    return r.body.aggregate;
  };
  const action = (id: number, body: unknown) =>
    api.request('POST', `/v2.1/os-aggregates/${id}/action`, { version: '2.41', body });

  it("adds and removes the aggregate on the host's provider, keeping its others", async () => {
    const a = await create('a');
    const b = await create('b');
    assert.equal((await action(a.id, { add_host: { host: 'h1' } })).status, 200);
    assert.equal((await action(b.id, { add_host: { host: 'h1' } })).status, 200);
    const both = (await client.providerAggregates(h1.nodeUuid))!.aggregates;
    assert.deepEqual(both.sort(), [a.uuid, b.uuid].sort());
    assert.equal((await action(a.id, { remove_host: { host: 'h1' } })).status, 200);
    assert.deepEqual((await client.providerAggregates(h1.nodeUuid))!.aggregates, [b.uuid]);
  });

  it('still adds a host that has no provider yet (mirroring is best effort, as upstream)', async () => {
    const c = await create('c');
    const r = await action(c.id, { add_host: { host: 'h2' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.aggregate.hosts, ['h2']);
  });

  const sync = () =>
    syncAggregates({
      aggregates: new AggregateStore(api.apiDb, api.clock, randomIds),
      nodes: new CellRecords(api.apiDb),
      placement: client,
      verbose: true,
    });

  it('sync_aggregates puts aggregates on providers created after their host joined', async () => {
    const [c] = (
      await api.request('GET', '/v2.1/os-aggregates', { version: '2.41' })
    ).body.aggregates.filter((a: any) => a.name === 'c');
    await client.ensureProvider(h2.nodeUuid, 'h2.example.com');
    assert.deepEqual((await client.providerAggregates(h2.nodeUuid))!.aggregates, []);
    const result = await sync();
    assert.equal(result.code, SyncAggregatesExit.OK, result.lines.join('\n'));
    assert.deepEqual((await client.providerAggregates(h2.nodeUuid))!.aggregates, [c.uuid]);
    assert.ok(
      result.lines.includes(
        `Successfully added host (h2) and provider (${h2.nodeUuid}) to aggregate (${c.uuid}).`,
      ),
      result.lines.join('\n'),
    );
    const b = (
      await api.request('GET', '/v2.1/os-aggregates', { version: '2.41' })
    ).body.aggregates.find((a: any) => a.name === 'b');
    assert.deepEqual((await client.providerAggregates(h1.nodeUuid))!.aggregates, [b.uuid]);
  });

  it('sync_aggregates reports hosts without compute nodes (5) and nodes without providers (6)', async () => {
    const store = new AggregateStore(api.apiDb, api.clock, randomIds);
    const c = (await store.list()).find((a) => a.name === 'c')!;
    await store.addHost(c.id, 'ghost');
    try {
      const noNodes = await sync();
      assert.equal(noNodes.code, SyncAggregatesExit.NO_COMPUTE_NODES);
      assert.match(noNodes.lines.at(-1)!, /compute_nodes record .* Missing: ghost$/);
    } finally {
      await store.removeHost(c.id, 'ghost');
    }
    const h6 = await addComputeHost(api, 'h6');
    await store.addHost(c.id, 'h6');
    try {
      const noProvider = await sync();
      assert.equal(noProvider.code, SyncAggregatesExit.NO_PROVIDER);
      assert.match(noProvider.lines.at(-1)!, new RegExp(`\\(h6=${h6.nodeUuid}\\)`));
    } finally {
      await store.removeHost(c.id, 'h6');
    }
  });

  const provider = async (uuid: string) =>
    (await placement.request('GET', `/resource_providers/${uuid}`, { version: '1.14' })).status;

  it('keeps the providers of a compute service it refuses to delete (servers on the host)', async () => {
    const h3 = await addComputeHost(api, 'h3');
    await client.ensureProvider(h3.nodeUuid, 'h3.example.com');
    await addServer(api, {
      uuid: '33333333-0000-4000-8000-000000000001',
      name: 'busy',
      projectId: 'p',
      host: 'h3',
    });
    const del = await api.request('DELETE', `/v2.1/os-services/${h3.service.uuid}`, {
      version: '2.53',
    });
    assert.equal(del.status, 409, del.text);
    assert.equal(await provider(h3.nodeUuid), 200);
  });

  it("deletes a deleted compute service's providers, children first, and its aggregates", async () => {
    const child = '11111111-0000-4000-8000-00000000c41d';
    const created = await placement.request('POST', '/resource_providers', {
      version: '1.14',
      body: { uuid: child, name: 'h1 child', parent_provider_uuid: h1.nodeUuid },
    });
    assert.equal(created.status, 201, created.body);
    const other = await addComputeHost(api, 'h4');
    await client.ensureProvider(other.nodeUuid, 'h4.example.com');
    const del = await api.request('DELETE', `/v2.1/os-services/${h1.service.uuid}`, {
      version: '2.53',
    });
    assert.equal(del.status, 204, del.text);
    assert.equal(await provider(h1.nodeUuid), 404);
    assert.equal(await provider(child), 404);
    assert.equal(await provider(other.nodeUuid), 200, "another host's provider stays");
    const aggs = await api.request('GET', '/v2.1/os-aggregates', { version: '2.41' });
    assert.ok(aggs.body.aggregates.every((a: any) => !a.hosts.includes('h1')));
  });

  it('deletes the service even when its provider still has allocations (kept, as upstream)', async () => {
    const h5 = await addComputeHost(api, 'h5');
    await client.ensureProvider(h5.nodeUuid, 'h5.example.com');
    await client.setInventory(h5.nodeUuid, {
      VCPU: { total: 4, reserved: 0, min_unit: 1, max_unit: 4, step_size: 1, allocation_ratio: 1 },
    });
    const leaked = '55555555-0000-4000-8000-000000000001';
    assert.ok(await client.claim(leaked, { [h5.nodeUuid]: { resources: { VCPU: 1 } } }, 'p', 'u'));
    const del = await api.request('DELETE', `/v2.1/os-services/${h5.service.uuid}`, {
      version: '2.53',
    });
    assert.equal(del.status, 204, del.text);
    assert.equal(await provider(h5.nodeUuid), 200);
  });
});
