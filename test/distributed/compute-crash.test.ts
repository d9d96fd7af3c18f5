/**
 * The distributed shape: every service in its own process over PostgreSQL and RabbitMQ. A boot
 * crosses processes (conductor → scheduler → compute host), and a compute host killed with
 * SIGKILL in the middle of a spawn recovers on restart: the server ends ERROR (or ACTIVE),
 * never stuck, and Placement keeps no claim for it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ConductorClient } from '../../src/compute/conductor/client.js';
import { ActionStore } from '../../src/compute/db/action-store.js';
import { InstanceStore, type InstanceRow } from '../../src/compute/db/instance-store.js';
import type { Bus } from '../../src/platform/bus/bus.js';
import { createBus } from '../../src/platform/bus/create-bus.js';
import type { Database } from '../../src/platform/db/database.js';
import { openDatabase } from '../../src/platform/db/open-database.js';
import { newInstanceRow, requestSpecFor } from '../harness/compute-fixtures.js';
import { startDistributedCloud, type DistributedCloud } from '../harness/distributed-cloud.js';
import { postgresSkip } from '../harness/postgres.js';
import { rabbitSkipReason } from '../harness/rabbitmq.js';
import { adminToken } from '../harness/admin-token.js';

const skip = postgresSkip() || rabbitSkipReason();

describe('distributed: processes over PostgreSQL and RabbitMQ', { skip }, () => {
  let cloud: DistributedCloud;
  let bus: Bus;
  let db: Database;
  let instances: InstanceStore;
  let token: string;

  const placement = async (path: string) => {
    const res = await fetch(`${cloud.url('placement')}${path}`, {
      headers: { 'x-auth-token': token },
    });
    return (await res.json()) as any;
  };

  before(async () => {
    cloud = await startDistributedCloud({
      computeHosts: ['cmp1', 'cmp2'],
      // Slow spawns leave time to kill a host in the middle of one.
      computeConfig: { fake: { delay_ms: 'spawn:3000' } },
    });
    token = await adminToken(cloud.url('identity'), cloud.adminPassword);
    bus = await createBus(cloud.transportUrl, { rpcResponseTimeoutMs: 30_000 });
    db = await openDatabase(cloud.databaseUrl);
    instances = new InstanceStore(db, { now: () => Date.now() });
    for (let i = 0; i < 150; i++) {
      // Both hosts reported, with inventory (a provider is created before its inventory is set).
      if (
        (await placement('/resource_providers?resources=VCPU:1')).resource_providers?.length === 2
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  after(async () => {
    await bus?.close();
    await db?.close();
    await cloud?.stop();
  });

  async function boot(): Promise<string> {
    const uuid = randomUUID();
    const requestId = `req-${randomUUID()}`;
    await instances.create(newInstanceRow(uuid, { reservation_id: 'r-dist' }));
    await new ActionStore(db, { now: () => Date.now() }).start(uuid, 'create', {
      requestId,
      userId: 'u1',
      projectId: 'p1',
    });
    await new ConductorClient(bus).buildInstances(
      {
        spec: requestSpecFor(),
        instanceUuids: [uuid],
      },
      requestId,
    );
    return uuid;
  }

  async function waitFor(
    uuid: string,
    done: (r: InstanceRow) => boolean,
    what: string,
  ): Promise<InstanceRow> {
    for (let i = 0; i < 300; i++) {
      const row = await instances.get(uuid);
      if (done(row)) return row;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `instance ${uuid} never became ${what}: ${JSON.stringify(await instances.get(uuid))}`,
    );
  }

  it('boots across processes to ACTIVE on one of the compute hosts', async () => {
    const uuid = await boot();
    const row = await waitFor(
      uuid,
      (r) => r.task_state === null && r.vm_state !== 'building',
      'settled',
    );
    assert.equal(row.vm_state, 'active');
    assert.ok(['cmp1', 'cmp2'].includes(row.host ?? ''));
    assert.equal(Object.keys((await placement(`/allocations/${uuid}`)).allocations).length, 1);
  });

  it('recovers a compute host killed mid-spawn: the server ends ERROR or ACTIVE and holds no stray claim', async () => {
    const uuid = await boot();
    const spawning = await waitFor(uuid, (r) => r.task_state === 'spawning', 'spawning');
    const host = spawning.host!;
    const victim = cloud.processes.get(`compute:${host}`)!;
    victim.child.kill('SIGKILL');
    await new Promise((r) => victim.child.once('exit', r));
    await cloud.startCompute(host);
    const row = await waitFor(
      uuid,
      (r) => r.task_state === null && r.vm_state !== 'building',
      'settled',
    );
    assert.ok(['error', 'active'].includes(row.vm_state), row.vm_state);
    const allocs = (await placement(`/allocations/${uuid}`)).allocations;
    if (row.vm_state === 'error') {
      assert.deepEqual(allocs, {});
      const fault = await instances.latestFault(uuid);
      assert.match(
        fault?.message ?? '',
        new RegExp(`interrupted by a restart of compute host ${host}`),
      );
    } else {
      assert.equal(Object.keys(allocs).length, 1);
    }
  });
});
