import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import type { TokenValidator } from '../../platform/auth/request-context.js';
import type { Bus } from '../../platform/bus/bus.js';
import type { Database } from '../../platform/db/database.js';
import type { Metrics } from '../../platform/metrics/metrics.js';
import type { PolicyEnforcer } from '../../platform/policy/policy-enforcer.js';
import type { PolicyRule } from '../../platform/policy/policy-rule.js';
import { ServiceRegistry } from '../../platform/service/service-registry.js';
import type { ApiConfig } from './api-options.js';
import { AgentHostUptime, NO_UPTIME } from './hosts/host-uptime.js';
import { AggregateMirror, type ProviderAggregates } from './aggregates/placement-mirror.js';
import { BusImageCache, NO_IMAGE_CACHE } from './hosts/image-cache.js';
import { NodeProviders, type ProviderTreeDeletion } from './hosts/node-providers.js';
import { createComputeApp } from './http/compute-app.js';
import { ImageClient } from '../../image/client.js';
import { ComputeAgentClient } from '../agent/client.js';
import { ImageProxy } from './images/image-proxy.js';
import { IdentityProjectVerifier, NO_PROJECT_CHECK } from './projects/project-verifier.js';
import { allPolicies } from './policies/all-policies.js';
import { allRoutes } from './routes/all-routes.js';
import type { ApiDeps } from './routing/api-deps.js';
import { NO_INSTANCES, type InstanceUsageCounter } from './quota/instance-usage.js';
import { QuotaEngine } from './quota/quota-engine.js';
import { QuotaStore } from './quota/quota-store.js';
import { AggregateStore } from './store/aggregate-store.js';
import { CellRecords } from './store/cell-records.js';
import { FlavorStore } from './store/flavor-store.js';
import { KeyPairStore } from './store/keypair-store.js';
import { ServerGroupStore } from './store/server-group-store.js';
import type { ServersBackend } from './servers/servers-backend.js';
import { NO_TASK_LOGS } from './usage/task-log.js';
import { RequestValidator } from './validation/request-validator.js';
import { AvailabilityZones } from './zones/availability-zones.js';

/** Deadline of one call to the image service, in ms. */
const IMAGE_TIMEOUT_MS = 30_000;

/** Deadline of one project check with identity, in ms. */
const IDENTITY_TIMEOUT_MS = 10_000;

/** What the compute API is assembled from; the service module and tests both provide it. */
export interface ComputeApiParts {
  config: ApiConfig;
  /** The database of `[api_database] connection`, migrated. */
  apiDb: Database;
  /** The database of `[database] connection` (services, compute nodes, servers), migrated. */
  cellDb: Database;
  /** Finds the image service's endpoint (the catalog), for the deprecated image proxy. */
  imageEndpoint?: () => Promise<string>;
  /** Finds the identity endpoint (the catalog), for checking project ids; none: unchecked. */
  identityEndpoint?: () => Promise<string>;
  /**
   * Placement, for mirroring aggregates onto resource providers and deleting a deleted compute
   * service's providers; none in API-only tests.
   */
  placement?: ProviderAggregates & ProviderTreeDeletion;
  /** The bus to the compute agents (uptime, image caching); none in API-only tests. */
  bus?: Bus;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  metrics?: Metrics;
  auth: TokenValidator;
  createEnforcer(defaults: readonly PolicyRule[]): PolicyEnforcer;
  /** Counts servers for quota usage; none until servers exist. */
  instanceUsage?: InstanceUsageCounter;
  /** The servers API's backend (cell database, bus clients); without it no server routes. */
  servers?: ServersBackend;
  /** The identity endpoint, named in 401 responses. */
  identityUrl?: string | undefined;
}

/** Builds the stores and the HTTP app of the compute API (not yet listening). */
export function buildComputeApi(parts: ComputeApiParts): FastifyInstance {
  const { config } = parts;
  const quotaStore = new QuotaStore(parts.apiDb, parts.clock);
  const aggregates = new AggregateStore(parts.apiDb, parts.clock, parts.ids);
  const cell = new CellRecords(parts.cellDb);
  const rpcMs = Math.min(config.DEFAULT.rpc_response_timeout, 10) * 1000;
  const deps: ApiDeps = {
    config,
    clock: parts.clock,
    ids: parts.ids,
    maxLimit: config.api.max_limit,
    flavors: new FlavorStore(parts.apiDb, parts.clock),
    keypairs: new KeyPairStore(parts.apiDb, parts.clock),
    quotaStore,
    quotas: new QuotaEngine(config, quotaStore, parts.instanceUsage ?? NO_INSTANCES),
    services: new ServiceRegistry(
      parts.cellDb,
      parts.clock,
      parts.ids,
      config.DEFAULT.service_down_time,
    ),
    cell,
    aggregates,
    aggregateMirror: new AggregateMirror(parts.placement, cell, parts.logger),
    nodeProviders: new NodeProviders(parts.placement, parts.logger),
    zones: new AvailabilityZones(
      aggregates,
      config.DEFAULT.default_availability_zone,
      config.DEFAULT.internal_service_availability_zone,
    ),
    serverGroups: new ServerGroupStore(parts.apiDb, parts.clock),
    projects: parts.identityEndpoint
      ? new IdentityProjectVerifier(parts.identityEndpoint, IDENTITY_TIMEOUT_MS, parts.logger)
      : NO_PROJECT_CHECK,
    uptime: parts.bus ? new AgentHostUptime(new ComputeAgentClient(parts.bus), rpcMs) : NO_UPTIME,
    imageCache: parts.bus ? new BusImageCache(parts.bus) : NO_IMAGE_CACHE,
    taskLogs: NO_TASK_LOGS,
    ...(parts.imageEndpoint
      ? {
          images: new ImageProxy(
            new ImageClient({ endpoint: parts.imageEndpoint, timeoutMs: IMAGE_TIMEOUT_MS }),
          ),
        }
      : {}),
    ...(parts.servers ? { servers: parts.servers } : {}),
  };
  return createComputeApp({
    logger: parts.logger,
    ...(parts.metrics ? { metrics: parts.metrics } : {}),
    bodyLimit: config.oslo_middleware.max_request_body_size,
    auth: parts.auth,
    enforcer: parts.createEnforcer(allPolicies()),
    validator: new RequestValidator(),
    routes: allRoutes(deps),
    maxLimit: config.api.max_limit,
    linkPrefix: config.api.compute_link_prefix,
    identityUrl: parts.identityUrl,
  });
}
