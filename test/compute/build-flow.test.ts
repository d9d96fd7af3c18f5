/**
 * The boot pipeline below the API, in one process over the in-process bus and real Placement:
 * conductor → scheduler (candidates, filters, claim) → compute agent (fake driver), with
 * reschedules, final failures and notifications. The API's part is tested in test/servers.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadProcessConfig } from '../../src/cmd/process-config.js';
import { startProcess, type StratusProcess } from '../../src/cmd/process-runtime.js';
import { serviceModules } from '../../src/cmd/service-modules.js';
import { computeAgentModule } from '../../src/compute/agent/agent-module.js';
import { ConductorClient } from '../../src/compute/conductor/client.js';
import { conductorModule } from '../../src/compute/conductor/conductor-module.js';
import { ActionStore } from '../../src/compute/db/action-store.js';
import { InstanceStore, type InstanceRow } from '../../src/compute/db/instance-store.js';
import { schedulerModule } from '../../src/compute/scheduler/scheduler-module.js';
import type { Notification } from '../../src/platform/bus/bus.js';
import { createLogger } from '../../src/platform/log/create-logger.js';
import { placementModule } from '../../src/placement/placement-module.js';
import { newInstanceRow, requestSpecFor } from '../harness/compute-fixtures.js';
import { freePort } from '../harness/free-port.js';

interface Cloud {
  proc: StratusProcess;
  instances: InstanceStore;
  actions: ActionStore;
  placementUrl: string;
  notifications: Notification[];
  stop(): Promise<void>;
}

async function startCloud(env: Record<string, string>): Promise<Cloud> {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-build-'));
  const port = await freePort();
  const config = loadProcessConfig(
    serviceModules(),
    { dataDir: dir },
    {
      OS_API__AUTH_STRATEGY: 'noauth2',
      OS_DEFAULT__HOST: 'test-host',
      OS_PLACEMENT__BIND_HOST: '127.0.0.1',
      OS_PLACEMENT__BIND_PORT: String(port),
      OS_FAKE__NODES: '2',
      OS_OSLO_MESSAGING_NOTIFICATIONS__DRIVER: 'messagingv2',
      OS_NOTIFICATIONS__NOTIFICATION_FORMAT: 'versioned',
      ...env,
    },
  );
  const proc = await startProcess({
    name: 'test',
    config,
    modules: [placementModule, conductorModule, schedulerModule, computeAgentModule],
    allModules: serviceModules(),
    serveRegistry: true,
    logger: createLogger({ service: 'test', host: 'test-host', silent: true }),
  });
  const notifications: Notification[] = [];
  await proc.bus.listen('versioned_notifications.info', (n) => void notifications.push(n));
  await proc.bus.listen('versioned_notifications.error', (n) => void notifications.push(n));
  const cell = await proc.database(config.database.connection);
  const placementUrl = `http://127.0.0.1:${port}`;
  // Ready when the agent has reported both nodes, with their inventory, to Placement.
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${placementUrl}/resource_providers?resources=VCPU:1`, {
      headers: { 'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.4' },
    });
    const body = (await res.json()) as { resource_providers: unknown[] };
    if (body.resource_providers.length === 2) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    proc,
    instances: new InstanceStore(cell, { now: () => Date.now() }),
    actions: new ActionStore(cell, { now: () => Date.now() }),
    placementUrl,
    notifications,
    async stop() {
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function boot(cloud: Cloud): Promise<{ uuid: string; requestId: string }> {
  const uuid = randomUUID();
  const requestId = `req-${randomUUID()}`;
  await cloud.instances.create(newInstanceRow(uuid));
  await cloud.actions.start(uuid, 'create', { requestId, userId: 'u1', projectId: 'p1' });
  await new ConductorClient(cloud.proc.bus).buildInstances(
    { spec: requestSpecFor(), instanceUuids: [uuid] },
    requestId,
  );
  return { uuid, requestId };
}

async function settled(cloud: Cloud, uuid: string): Promise<InstanceRow> {
  for (let i = 0; i < 150; i++) {
    const row = await cloud.instances.get(uuid);
    if (row.task_state === null && row.vm_state !== 'building') return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`instance ${uuid} did not settle`);
}

async function allocations(cloud: Cloud, uuid: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${cloud.placementUrl}/allocations/${uuid}`, {
    headers: { 'x-auth-token': 'admin' },
  });
  return ((await res.json()) as { allocations: Record<string, unknown> }).allocations;
}

describe('boot pipeline: build on the fake driver', () => {
  let cloud: Cloud;
  before(async () => (cloud = await startCloud({})));
  after(() => cloud.stop());

  it('schedules, claims, spawns and ends ACTIVE, with events and notifications', async () => {
    const { uuid } = await boot(cloud);
    const row = await settled(cloud, uuid);
    assert.equal(row.vm_state, 'active');
    assert.equal(row.power_state, 1);
    assert.equal(row.host, 'test-host');
    assert.match(row.node ?? '', /^test-host-[12]$/);
    assert.ok(row.launched_at);
    assert.equal(Object.keys(await allocations(cloud, uuid)).length, 1);
    // The end notification follows the state change, so it may arrive a moment later.
    const types = () =>
      cloud.notifications
        .filter((n) => (n.payload as any)['nova_object.data'].uuid === uuid)
        .map((n) => n.eventType);
    for (let i = 0; i < 50 && !types().includes('instance.create.end'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(types().includes('instance.create.start'), types().join());
    assert.ok(types().includes('instance.create.end'), types().join());
  });
});

describe('boot pipeline: reschedule to an alternate node', () => {
  let cloud: Cloud;
  before(async () => (cloud = await startCloud({ OS_FAKE__FAIL_SPAWN_ON_NODES: 'test-host-1' })));
  after(() => cloud.stop());

  it('ends ACTIVE on the node that works, holding resources only there', async () => {
    for (let i = 0; i < 3; i++) {
      const { uuid } = await boot(cloud);
      const row = await settled(cloud, uuid);
      assert.equal(row.vm_state, 'active', `attempt ${i}`);
      assert.equal(row.node, 'test-host-2');
      assert.equal(Object.keys(await allocations(cloud, uuid)).length, 1);
    }
  });
});

describe('boot pipeline: every host fails', () => {
  let cloud: Cloud;
  before(
    async () =>
      (cloud = await startCloud({ OS_FAKE__FAIL_SPAWN_ON_NODES: 'test-host-1,test-host-2' })),
  );
  after(() => cloud.stop());

  it('ends in ERROR with a fault naming the cause and releases every claim', async () => {
    const { uuid } = await boot(cloud);
    const row = await settled(cloud, uuid);
    assert.equal(row.vm_state, 'error');
    const fault = await cloud.instances.latestFault(uuid);
    assert.match(fault?.message ?? '', /Exceeded maximum number of retries/);
    assert.match(fault?.message ?? '', /Injected spawn failure on node test-host-\d/);
    assert.deepEqual(await allocations(cloud, uuid), {});
    const errors = cloud.notifications.filter((n) => n.eventType === 'instance.create.error');
    assert.ok(errors.length >= 1);
  });
});
