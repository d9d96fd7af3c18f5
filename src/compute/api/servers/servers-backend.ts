import type { Logger } from 'pino';
import type { Database } from '../../../platform/db/database.js';
import type { ServiceRegistry } from '../../../platform/service/service-registry.js';
import type { ComputeAgentClient } from '../../agent/client.js';
import type { ConductorClient } from '../../conductor/client.js';
import type { ActionStore } from '../../db/action-store.js';
import type { InstanceStore } from '../../db/instance-store.js';
import type { InstanceNotifier } from '../../instance-notifier.js';
import type { ApiConfig } from '../api-options.js';
import type { ImageLookup } from './image-lookup.js';
import type { RenderedServerCache } from './rendered-server-cache.js';

/**
 * What the servers API needs beyond the API database: the cell database and its stores, the
 * conductor and agents on the bus, Placement (to release what a local delete leaves), the
 * service registry (is an instance's host up?) and the image service.
 */
export interface ServersBackend {
  /** The cell database (`[database] connection`). */
  cellDb: Database;
  /** The API database, for key pairs, quotas and server groups. */
  apiDb: Database;
  instances: InstanceStore;
  actions: ActionStore;
  conductor: ConductorClient;
  agents: ComputeAgentClient;
  /** Releases a consumer's Placement allocations (a local delete's cleanup). */
  placement: { release(consumerUuid: string): Promise<void> };
  services: ServiceRegistry;
  images: ImageLookup;
  logger: Logger;
  /** Versioned instance notifications the API sends itself (a local delete's). */
  notifier: InstanceNotifier;
  /** Server bodies rendered for listings, by instance revision. */
  renderedServers: RenderedServerCache;
  config: ApiConfig;
  /** `[DEFAULT] default_availability_zone`. */
  defaultAvailabilityZone: string;
}
