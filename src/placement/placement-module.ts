import type { Database } from '../platform/db/database.js';
import { PeriodicTasks } from '../platform/service/periodic-tasks.js';
import type { ServiceModule } from '../platform/service/service-module.js';
import { buildPlacementApp } from './api/placement-app.js';
import { placementPolicyRules } from './api/policies.js';
import { CandidateService } from './candidates/candidate-service.js';
import type { PlacementTables } from './db/tables.js';
import { placementMigrations } from './db/migrations.js';
import { placementOptions, type PlacementOptions } from './placement-options.js';
import { write, type PlacementDeps } from './service/placement-deps.js';
import { pruneChanges, recordChange } from './store/change-log.js';
import { syncStandardResourceClasses } from './store/resource-classes.js';
import { syncStandardTraits } from './store/traits.js';

/** Makes sure the standard resource classes and traits of this release are in the database. */
export async function syncStandardCatalog(deps: PlacementDeps): Promise<void> {
  await syncStandardResourceClasses(deps.database.kysely, deps.clock);
  await syncStandardTraits(deps.database.kysely, deps.clock);
  // Replicas reload their name maps.
  await write(deps, (trx) => recordChange(trx, []));
}

/**
 * `stratus placement`: the Placement API (resource providers, inventories, traits, allocations,
 * allocation candidates) on `[placement] bind_host:bind_port`, its tables in
 * `[placement_database] connection`.
 */
export const placementModule: ServiceModule<PlacementOptions> = {
  name: 'placement',
  binary: 'stratus-placement',
  description: 'the Placement API: resource providers, inventories, allocations, candidates',
  options: placementOptions(),
  migrations: (config) => [{ url: config.placement_database.connection, set: placementMigrations }],
  catalogEntries: (config) => [
    {
      type: 'placement',
      name: 'placement',
      url: `http://${config.DEFAULT.my_ip}:${config.placement.bind_port}`,
    },
  ],
  async start(ctx) {
    const config = ctx.config;
    const database = (await ctx.database(
      config.placement_database.connection,
    )) as Database<PlacementTables>;
    const deps: PlacementDeps = {
      database,
      clock: ctx.clock,
      ids: ctx.ids,
      logger: ctx.logger,
      config: config.placement,
    };
    await syncStandardCatalog(deps);
    const candidates = new CandidateService(deps);
    const identity = ctx.catalog.find((c) => c.type === 'identity');
    const app = buildPlacementApp({
      deps,
      logger: ctx.logger,
      validator: ctx.auth,
      enforcer: ctx.createEnforcer(placementPolicyRules()),
      candidates,
      metrics: ctx.metrics,
      bodyLimit: config.oslo_middleware.max_request_body_size,
      ...(identity ? { identityUrl: identity.url } : {}),
    });
    // Replicas catch up from the change log; it keeps the last change_log_retention versions.
    const periodic = new PeriodicTasks(ctx.logger);
    periodic.add(
      'placement-change-log-prune',
      600_000,
      async () => {
        await write(deps, (trx) => pruneChanges(trx, config.placement.change_log_retention));
      },
      60_000,
    );
    await app.listen({ host: config.placement.bind_host, port: config.placement.bind_port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.placement.bind_port;
    return {
      endpoints: [`http://${config.placement.bind_host}:${port}`],
      stop: async () => {
        await periodic.stop();
        await app.close();
      },
      local: { candidates },
    };
  },
};
