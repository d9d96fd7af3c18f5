import type { Clock } from '../../../common/clock.js';
import type { IdGenerator } from '../../../common/ids.js';
import type { ApiConfig } from '../api-options.js';
import type { QuotaEngine } from '../quota/quota-engine.js';
import type { QuotaStore } from '../quota/quota-store.js';
import type { ServiceRegistry } from '../../../platform/service/service-registry.js';
import type { AggregateMirror } from '../aggregates/placement-mirror.js';
import type { HostUptime } from '../hosts/host-uptime.js';
import type { NodeProviders } from '../hosts/node-providers.js';
import type { ProjectVerifier } from '../projects/project-verifier.js';
import type { ImageCache } from '../hosts/image-cache.js';
import type { ImageProxy } from '../images/image-proxy.js';
import type { AggregateStore } from '../store/aggregate-store.js';
import type { CellRecords } from '../store/cell-records.js';
import type { FlavorStore } from '../store/flavor-store.js';
import type { ServerGroupStore } from '../store/server-group-store.js';
import type { TaskLogSource } from '../usage/task-log.js';
import type { AvailabilityZones } from '../zones/availability-zones.js';
import type { KeyPairStore } from '../store/keypair-store.js';
import type { ServersBackend } from '../servers/servers-backend.js';

/** Everything the compute API's routes use, built once by the service module. */
export interface ApiDeps {
  config: ApiConfig;
  clock: Clock;
  ids: IdGenerator;
  /** `[api] max_limit`. */
  maxLimit: number;
  flavors: FlavorStore;
  keypairs: KeyPairStore;
  quotaStore: QuotaStore;
  quotas: QuotaEngine;
  /** The service registry (`services` table, [database] connection). */
  services: ServiceRegistry;
  /** Compute nodes and servers in the cell database. */
  cell: CellRecords;
  aggregates: AggregateStore;
  /** Puts aggregate membership on the hosts' resource providers in Placement. */
  aggregateMirror: AggregateMirror;
  /** Deletes a deleted compute service's resource providers in Placement. */
  nodeProviders: NodeProviders;
  zones: AvailabilityZones;
  serverGroups: ServerGroupStore;
  /** Checks project ids with identity (flavor access, quota sets). */
  projects: ProjectVerifier;
  /** Asks a compute host for its uptime (pre-2.88 /uptime, and the 2.88 detail field). */
  uptime: HostUptime;
  /** Asks hosts to pre-cache images (aggregate images, 2.81). */
  imageCache: ImageCache;
  /** The image service, for the deprecated image proxy; absent without one. */
  images?: ImageProxy;
  /** The hosts' instance usage audit runs. */
  taskLogs: TaskLogSource;
  /** The servers API's cell database and clients; absent in API-only tests. */
  servers?: ServersBackend;
}
