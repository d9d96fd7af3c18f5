import type { ServiceModule } from '../../platform/service/service-module.js';
import { serviceRegistryMigrations } from '../../platform/service/service-registry.js';
import { PlacementClient } from '../../placement/client.js';
import { apiDbMigrations } from '../api-db-migrations.js';
import { apiOptions, type ApiOptions } from './api-options.js';
import { buildComputeApi } from './build-compute-api.js';
import { cellMigrations } from '../db/cell-migrations.js';
import { createServersBackend } from './servers/create-servers-backend.js';
import { CellInstanceUsageCounter } from './servers/instance-usage-counter.js';

/**
 * `stratus api` (nova-api): the Compute API v2.1 with microversions, and the legacy v2, on
 * `[DEFAULT] osapi_compute_listen:osapi_compute_listen_port`; its tables live in
 * `[api_database] connection`, and it reads the service registry in `[database] connection`.
 */
export const apiModule: ServiceModule<ApiOptions> = {
  name: 'api',
  binary: 'stratus-api',
  description: 'the Compute API (nova-api): flavors, key pairs, quotas, aggregates, servers',
  options: apiOptions(),
  migrations: (config) => [
    { url: config.api_database.connection, set: apiDbMigrations },
    { url: config.database.connection, set: serviceRegistryMigrations },
    // Servers live in the cell database, as nova-api reads and writes them.
    { url: config.database.connection, set: cellMigrations },
  ],
  catalogEntries: (config) => [
    {
      type: 'compute',
      name: 'nova',
      url: `http://${config.DEFAULT.my_ip}:${config.DEFAULT.osapi_compute_listen_port}/v2.1`,
    },
  ],
  async start(ctx) {
    const config = ctx.config;
    const identity = ctx.catalog.find((c) => c.type === 'identity');
    const apiDb = await ctx.database(config.api_database.connection);
    const cellDb = await ctx.database(config.database.connection);
    const servers = await createServersBackend(ctx, config, apiDb);
    const app = buildComputeApi({
      config,
      apiDb,
      cellDb,
      bus: ctx.bus,
      placement: new PlacementClient(ctx.serviceSession),
      imageEndpoint: () => ctx.serviceSession.endpoint('image'),
      identityEndpoint: () => ctx.serviceSession.endpoint('identity'),
      servers,
      instanceUsage: new CellInstanceUsageCounter(servers.cellDb),
      clock: ctx.clock,
      ids: ctx.ids,
      logger: ctx.logger,
      metrics: ctx.metrics,
      auth: ctx.auth,
      createEnforcer: (d) => ctx.createEnforcer(d),
      identityUrl: identity?.url,
    });
    const host = config.DEFAULT.osapi_compute_listen;
    await app.listen({ host, port: config.DEFAULT.osapi_compute_listen_port });
    const address = app.server.address();
    const port =
      typeof address === 'object' && address
        ? address.port
        : config.DEFAULT.osapi_compute_listen_port;
    return { endpoints: [`http://${host}:${port}/v2.1`], stop: () => app.close() };
  },
};
