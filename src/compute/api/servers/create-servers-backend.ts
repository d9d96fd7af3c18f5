import type { Database } from '../../../platform/db/database.js';
import { ServiceRegistry } from '../../../platform/service/service-registry.js';
import type { ServiceContext } from '../../../platform/service/service-module.js';
import { PlacementClient } from '../../../placement/client.js';
import { ComputeAgentClient } from '../../agent/client.js';
import { ConductorClient } from '../../conductor/client.js';
import { ActionStore } from '../../db/action-store.js';
import { InstanceStore } from '../../db/instance-store.js';
import { InstanceNotifier, notifierSettings } from '../../instance-notifier.js';
import type { ApiConfig } from '../api-options.js';
import { ImageClient } from '../../../image/client.js';
import { ClientImageLookup } from './image-lookup.js';
import { RenderedServerCache } from './rendered-server-cache.js';
import type { ServersBackend } from './servers-backend.js';

/**
 * JSON kept of rendered server bodies: about 32 MB, some 20,000 bodies (a detail body is
 * 1.5-2 kB), enough for every server a busy API lists over and over.
 */
const RENDERED_SERVERS_MAX_BYTES = 32 * 1024 * 1024;

/** Deadline of one image lookup, in ms. */
const IMAGE_TIMEOUT_MS = 30_000;

/** Builds the servers API's backend from the API service's context. */
export async function createServersBackend(
  ctx: Pick<ServiceContext, 'database' | 'clock' | 'ids' | 'bus' | 'serviceSession' | 'logger'>,
  config: ApiConfig,
  apiDb: Database,
): Promise<ServersBackend> {
  const cell = await ctx.database(config.database.connection);
  return {
    cellDb: cell,
    apiDb,
    instances: new InstanceStore(cell, ctx.clock),
    actions: new ActionStore(cell, ctx.clock),
    conductor: new ConductorClient(ctx.bus),
    agents: new ComputeAgentClient(ctx.bus),
    placement: new PlacementClient(ctx.serviceSession),
    services: new ServiceRegistry(cell, ctx.clock, ctx.ids, config.DEFAULT.service_down_time),
    images: new ClientImageLookup(
      new ImageClient({
        endpoint: () => ctx.serviceSession.endpoint('image'),
        timeoutMs: IMAGE_TIMEOUT_MS,
      }),
      'admin',
    ),
    logger: ctx.logger,
    notifier: new InstanceNotifier(
      ctx.bus,
      notifierSettings(config),
      `nova-api:${config.DEFAULT.host}`,
      ctx.clock,
      ctx.ids,
    ),
    renderedServers: new RenderedServerCache(RENDERED_SERVERS_MAX_BYTES),
    config,
    defaultAvailabilityZone: config.DEFAULT.default_availability_zone,
  };
}
