/**
 * The servers API over the real boot pipeline, in one process: conductor, scheduler, compute
 * agent (fake driver) and Placement on the in-process bus, the compute API on Fastify's
 * `inject` with noauth2 tokens (`admin`, `user:project`), and a stub image service with one
 * active image (IMAGE_ID). For API behaviour that needs a build behind it, without the cost of
 * `stratus all` and the CLI.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadProcessConfig } from '../../../src/cmd/process-config.js';
import { startProcess, type StratusProcess } from '../../../src/cmd/process-runtime.js';
import { serviceModules } from '../../../src/cmd/service-modules.js';
import { computeAgentModule } from '../../../src/compute/agent/agent-module.js';
import { ComputeAgentClient } from '../../../src/compute/agent/client.js';
import { apiDbMigrations } from '../../../src/compute/api-db-migrations.js';
import type { ApiConfig } from '../../../src/compute/api/api-options.js';
import { buildComputeApi } from '../../../src/compute/api/build-compute-api.js';
import type { BootImage } from '../../../src/compute/api/servers/image-lookup.js';
import type { ServersBackend } from '../../../src/compute/api/servers/servers-backend.js';
import { ConductorClient } from '../../../src/compute/conductor/client.js';
import { conductorModule } from '../../../src/compute/conductor/conductor-module.js';
import { ActionStore } from '../../../src/compute/db/action-store.js';
import { InstanceStore, type InstanceRow } from '../../../src/compute/db/instance-store.js';
import { schedulerModule } from '../../../src/compute/scheduler/scheduler-module.js';
import type { FakeDriver } from '../../../src/compute/virt/fake/fake-driver.js';
import { randomIds } from '../../../src/common/ids.js';
import { NoAuth2Validator } from '../../../src/platform/auth/noauth2.js';
import type { Database } from '../../../src/platform/db/database.js';
import { migrate } from '../../../src/platform/db/migrate.js';
import { createLogger } from '../../../src/platform/log/create-logger.js';
import { RenderedServerCache } from '../../../src/compute/api/servers/rendered-server-cache.js';
import { InstanceNotifier, notifierSettings } from '../../../src/compute/instance-notifier.js';
import { PolicyEnforcer } from '../../../src/platform/policy/policy-enforcer.js';
import { ServiceRegistry } from '../../../src/platform/service/service-registry.js';
import { placementModule } from '../../../src/placement/placement-module.js';
import { freePort } from '../../harness/free-port.js';

/** The image every server boots from. */
export const IMAGE_ID = '70a599e0-31e7-49b7-b260-868f441e862b';

/** One parsed response. */
export interface Reply {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

/** A running cloud. */
export interface ServersCloud {
  app: FastifyInstance;
  proc: StratusProcess;
  cell: Database;
  instances: InstanceStore;
  placementUrl: string;
  /** The fake driver of the compute agent. */
  driver: FakeDriver;
  request(
    method: string,
    url: string,
    opts?: { body?: unknown; version?: string; token?: string },
  ): Promise<Reply>;
  /** POST /servers and the new server's id (asserting a 202). */
  boot(
    server: Record<string, unknown>,
    opts?: { version?: string; token?: string },
  ): Promise<Reply>;
  /** Waits until the server leaves BUILD (or its task state clears) and returns its row. */
  settled(uuid: string): Promise<InstanceRow>;
  stop(): Promise<void>;
}

/** Starts the cloud; `env` are config overrides as OS_SECTION__KEY variables. */
export async function startServersCloud(env: Record<string, string> = {}): Promise<ServersCloud> {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-servers-'));
  const port = await freePort();
  const config = loadProcessConfig(
    serviceModules(),
    { dataDir: dir },
    {
      OS_API__AUTH_STRATEGY: 'noauth2',
      OS_DEFAULT__HOST: 'test-host',
      OS_PLACEMENT__BIND_HOST: '127.0.0.1',
      OS_PLACEMENT__BIND_PORT: String(port),
      ...env,
    },
  );
  const logger = createLogger({ service: 'test', host: 'test-host', silent: true });
  const proc = await startProcess({
    name: 'test',
    config,
    modules: [placementModule, conductorModule, schedulerModule, computeAgentModule],
    allModules: serviceModules(),
    serveRegistry: true,
    logger,
  });
  const placementUrl = `http://127.0.0.1:${port}`;
  const cell = await proc.database(config.database.connection);
  await migrate(cell, apiDbMigrations);
  const clock = { now: () => Date.now() };
  const apiConfig = config as unknown as ApiConfig;
  const image: BootImage = {
    id: IMAGE_ID,
    status: 'active',
    minRam: 0,
    minDisk: 0,
    size: 1024,
    properties: {},
  };
  const servers: ServersBackend = {
    cellDb: cell,
    apiDb: cell,
    instances: new InstanceStore(cell, clock),
    actions: new ActionStore(cell, clock),
    conductor: new ConductorClient(proc.bus),
    agents: new ComputeAgentClient(proc.bus),
    placement: {
      release: async (uuid) => {
        await fetch(`${placementUrl}/allocations/${uuid}`, {
          method: 'DELETE',
          headers: { 'x-auth-token': 'admin' },
        });
      },
    },
    services: new ServiceRegistry(cell, clock, randomIds, config.DEFAULT.service_down_time),
    images: {
      get: async (id) => {
        if (id !== IMAGE_ID) throw new Error(`no image ${id}`);
        return image;
      },
    },
    logger,
    notifier: new InstanceNotifier(
      proc.bus,
      notifierSettings(config),
      'nova-api:test-host',
      clock,
      randomIds,
    ),
    renderedServers: new RenderedServerCache(1024 * 1024),
    config: apiConfig,
    defaultAvailabilityZone: 'nova',
  };
  const app = buildComputeApi({
    config: apiConfig,
    apiDb: cell,
    cellDb: cell,
    bus: proc.bus,
    clock,
    ids: randomIds,
    logger,
    auth: new NoAuth2Validator(),
    createEnforcer: (defaults) => new PolicyEnforcer(defaults, { enforceScope: false }),
    servers,
  });
  await app.ready();
  const agent = proc.services.find((s) => s.module.name === 'compute')!;
  const driver = (agent.running.local as { driver: FakeDriver }).driver;

  const request: ServersCloud['request'] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { 'x-auth-token': opts.token ?? 'admin' };
    if (opts.version) headers['openstack-api-version'] = `compute ${opts.version}`;
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    return {
      status: res.statusCode,
      body: res.body === '' ? undefined : (JSON.parse(res.body) as unknown),
      headers: res.headers as Reply['headers'],
    };
  };

  // Ready when the agent's nodes are in Placement with their inventory.
  const nodes = Number(config.fake?.nodes ?? 1);
  for (let i = 0; i < 150; i++) {
    const res = await fetch(`${placementUrl}/resource_providers?resources=VCPU:1`, {
      headers: { 'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.4' },
    });
    const body = (await res.json()) as { resource_providers: unknown[] };
    if (body.resource_providers.length === nodes) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // The API migrations seed devstack's flavors (1 is m1.tiny).
  const instances = new InstanceStore(cell, clock);
  return {
    app,
    proc,
    cell,
    instances,
    placementUrl,
    driver,
    request,
    async boot(server, opts = {}) {
      return request('POST', '/v2.1/servers', {
        ...opts,
        body: {
          server: {
            name: `vm-${randomUUID().slice(0, 8)}`,
            imageRef: IMAGE_ID,
            flavorRef: '1',
            ...server,
          },
        },
      });
    },
    async settled(uuid) {
      for (let i = 0; i < 200; i++) {
        const row = await instances.get(uuid, { includeDeleted: true });
        if (row.task_state === null && row.vm_state !== 'building') return row;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`instance ${uuid} did not settle`);
    },
    async stop() {
      await app.close();
      await proc.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
