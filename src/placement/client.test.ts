import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { dialectSuite } from '../../test/harness/dialects.js';
import { systemClock } from '../common/clock.js';
import { ConflictError } from '../common/errors.js';
import { ServiceSession, type ServiceResponse } from '../platform/auth/service-session.js';
import { PlacementClient } from './client.js';
import { startPlacementTestApp, type PlacementTestApp } from './testing/placement-test-app.js';

const HOST = 'f0f0f0f0-0000-4000-8000-000000000001';
const OTHER = 'f0f0f0f0-0000-4000-8000-000000000002';

/** A session that lets a test act just before a request goes out (to stage a race). */
class StagedSession extends ServiceSession {
  before: ((method: string, path: string) => Promise<void>) | undefined;

  override async request<T = any>(
    serviceType: string,
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ServiceResponse<T>> {
    await this.before?.(method, path);
    return super.request<T>(serviceType, method, path, opts);
  }
}

dialectSuite('sqlite', 'placement client against the placement API', (dialect) => {
  let t: PlacementTestApp;
  let session: StagedSession;
  let client: PlacementClient;
  before(async () => {
    t = await startPlacementTestApp(dialect);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    session = new StagedSession({
      credentials: () => undefined,
      staticToken: 'admin',
      endpointOverrides: {},
      fallbackEndpoints: { placement: url },
      interface: 'public',
      clock: systemClock,
      timeoutMs: 10_000,
    });
    client = new PlacementClient(session);
  });
  after(() => t.close());

  const inventory = (total: number) => ({
    total,
    reserved: 0,
    min_unit: 1,
    max_unit: total,
    step_size: 1,
    allocation_ratio: 1.0,
  });

  it('reports a provider, its inventory, traits and aggregates idempotently', async () => {
    await client.ensureProvider(HOST, 'host-1');
    await client.ensureProvider(HOST, 'host-1');
    await client.ensureResourceClass('CUSTOM_GOLD');
    await client.setInventory(HOST, { VCPU: inventory(2), CUSTOM_GOLD: inventory(1) });
    await client.setTraits(HOST, ['COMPUTE_NODE', 'CUSTOM_FAST']);
    await client.setAggregates(HOST, ['0a0a0a0a-0000-4000-8000-000000000001']);
    const rp = await t.request('GET', `/resource_providers/${HOST}/aggregates`, {
      version: '1.19',
    });
    assert.deepEqual(rp.json.aggregates, ['0a0a0a0a-0000-4000-8000-000000000001']);
    const traits = await t.request('GET', `/resource_providers/${HOST}/traits`, { version: '1.6' });
    assert.deepEqual(traits.json.traits.sort(), ['COMPUTE_NODE', 'CUSTOM_FAST']);
  });

  it('retries an inventory update when the generation moved under it', async () => {
    let staged = false;
    session.before = async (method, path) => {
      if (staged || method !== 'PUT' || !path.endsWith('/inventories')) return;
      staged = true;
      // Someone else changes the provider between the client's read and its write.
      const gen = (await t.request('GET', `/resource_providers/${HOST}`)).json.generation;
      await t.request('PUT', `/resource_providers/${HOST}/traits`, {
        version: '1.6',
        body: { traits: ['COMPUTE_NODE'], resource_provider_generation: gen },
      });
    };
    try {
      await client.setInventory(HOST, { VCPU: inventory(4), CUSTOM_GOLD: inventory(1) });
    } finally {
      session.before = undefined;
    }
    assert.ok(staged);
    const inv = await t.request('GET', `/resource_providers/${HOST}/inventories`);
    assert.equal(inv.json.inventories.VCPU.total, 4);
  });

  it('claims: of two schedulers racing for the last unit one gets it, the other is told no', async () => {
    const candidates = await client.allocationCandidates({
      resources: { VCPU: 4 },
      required: [],
      memberOf: [],
      limit: 10,
    });
    assert.equal(candidates.allocationRequests.length, 1);
    const alloc = candidates.allocationRequests[0]!.allocations;
    const results = await Promise.all([
      client.claim('c1c1c1c1-0000-4000-8000-000000000001', alloc, 'p', 'u'),
      client.claim('c1c1c1c1-0000-4000-8000-000000000002', alloc, 'p', 'u'),
    ]);
    assert.deepEqual(results.sort(), [false, true]);
    assert.deepEqual(await client.usages('p'), { VCPU: 4 });
  });

  it('does not retry a claim for a consumer that already has allocations', async () => {
    await client.ensureProvider(OTHER, 'host-2');
    await client.setInventory(OTHER, { VCPU: inventory(8) });
    const consumer = 'c1c1c1c1-0000-4000-8000-0000000000cc';
    const alloc = { [OTHER]: { resources: { VCPU: 1 } } };
    assert.equal(await client.claim(consumer, alloc, 'p', 'u'), true);
    let puts = 0;
    session.before = async (method, path) => {
      if (method === 'PUT' && path === `/allocations/${consumer}`) puts++;
    };
    try {
      await assert.rejects(client.claim(consumer, alloc, 'p', 'u'), (err: Error) => {
        assert.ok(err instanceof ConflictError, String(err));
        assert.match(err.message, /consumer generation conflict/);
        return true;
      });
    } finally {
      session.before = undefined;
    }
    assert.equal(puts, 1, 'a consumer generation conflict is not retried');
    await client.release(consumer);
  });

  it('moves allocations to another consumer and replaces them with generation checks', async () => {
    const [winner] = (
      await Promise.all(
        ['c1c1c1c1-0000-4000-8000-000000000001', 'c1c1c1c1-0000-4000-8000-000000000002'].map(
          async (c) => ((await client.allocations(c))[HOST] ? c : undefined),
        ),
      )
    ).filter((c) => c !== undefined);
    const migration = 'c1c1c1c1-0000-4000-8000-0000000000ff';
    assert.equal(await client.moveAllocations(winner!, migration), true);
    assert.deepEqual(await client.allocations(winner!), {});
    assert.deepEqual((await client.allocations(migration))[HOST]!.resources, { VCPU: 4 });
    await client.ensureProvider(OTHER, 'host-2');
    await client.setInventory(OTHER, { VCPU: inventory(8) });
    const moved = await client.replaceAllocations(
      winner!,
      { [OTHER]: { resources: { VCPU: 4 } } },
      'p',
      'u',
    );
    assert.equal(moved, true);
    const tooBig = await client.replaceAllocations(
      winner!,
      { [OTHER]: { resources: { VCPU: 9 } } },
      'p',
      'u',
    );
    assert.equal(tooBig, false);
    await client.release(migration);
    await client.release(migration);
    assert.deepEqual(await client.usages('p'), { VCPU: 4 });
  });

  it('adds and removes one aggregate of a provider, keeping the others, through races', async () => {
    const first = '0a0a0a0a-0000-4000-8000-000000000001';
    const mirrored = '0a0a0a0a-0000-4000-8000-0000000000a2';
    let staged = false;
    session.before = async (method, path) => {
      if (staged || method !== 'PUT' || !path.endsWith('/aggregates')) return;
      staged = true;
      const gen = (await t.request('GET', `/resource_providers/${HOST}`)).json.generation;
      await t.request('PUT', `/resource_providers/${HOST}/traits`, {
        version: '1.6',
        body: { traits: ['COMPUTE_NODE'], resource_provider_generation: gen },
      });
    };
    try {
      assert.equal(await client.addProviderAggregate(HOST, mirrored), true);
    } finally {
      session.before = undefined;
    }
    assert.ok(staged);
    assert.deepEqual((await client.providerAggregates(HOST))?.aggregates.sort(), [first, mirrored]);
    const generation = (await client.providerAggregates(HOST))!.generation;
    assert.equal(await client.addProviderAggregate(HOST, mirrored), true);
    assert.equal((await client.providerAggregates(HOST))!.generation, generation, 'no write');
    assert.equal(await client.removeProviderAggregate(HOST, mirrored), true);
    assert.equal(await client.removeProviderAggregate(HOST, mirrored), true);
    assert.deepEqual((await client.providerAggregates(HOST))?.aggregates, [first]);
    const missing = 'f0f0f0f0-0000-4000-8000-0000000000ff';
    assert.equal(await client.providerAggregates(missing), undefined);
    assert.equal(await client.addProviderAggregate(missing, mirrored), false);
  });
});
