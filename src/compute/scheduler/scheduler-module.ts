import { ConfigError } from '../../common/errors.js';
import { ServiceRegistry } from '../../platform/service/service-registry.js';
import type { ServiceModule } from '../../platform/service/service-module.js';
import { PlacementClient } from '../../placement/client.js';
import { apiDbMigrations } from '../api-db-migrations.js';
import { computeSharedOptions } from '../compute-options.js';
import { cellMigrations } from '../db/cell-migrations.js';
import { ComputeNodeStore } from '../db/compute-node-store.js';
import { SCHEDULER_TOPIC } from './client.js';
import { DbAggregateSource } from './db-aggregate-source.js';
import { ALL_FILTERS } from './filters/all-filters.js';
import { SchedulerManager } from './scheduler-manager.js';
import { COMPUTE_BINARY } from '../service-binaries.js';
import {
  cpuWeigher,
  diskWeigher,
  ramWeigher,
  softAffinityWeigher,
  softAntiAffinityWeigher,
} from './weighers/resource-weighers.js';

/** `stratus scheduler`: picks hosts for builds (nova-scheduler). */
export const schedulerModule: ServiceModule<typeof computeSharedOptions> = {
  name: 'scheduler',
  binary: 'stratus-scheduler',
  description: 'pick hosts for new servers: Placement candidates, filters and weighers',
  options: computeSharedOptions,
  migrations: (config) => [
    { url: config.database.connection, set: cellMigrations },
    { url: config.api_database.connection, set: apiDbMigrations },
  ],
  async start(ctx) {
    const { config } = ctx;
    const filters = config.filter_scheduler.enabled_filters.map((name) => {
      const f = ALL_FILTERS.get(name);
      if (!f) {
        throw new ConfigError(
          `[filter_scheduler] enabled_filters: unknown filter '${name}' (available: ${[...ALL_FILTERS.keys()].join(', ')})`,
        );
      }
      return f;
    });
    const fs = config.filter_scheduler;
    const cell = await ctx.database(config.database.connection);
    const api = await ctx.database(config.api_database.connection);
    const manager = new SchedulerManager({
      placement: new PlacementClient(ctx.serviceSession),
      nodes: new ComputeNodeStore(cell, ctx.clock, ctx.ids),
      services: new ServiceRegistry(cell, ctx.clock, ctx.ids, config.DEFAULT.service_down_time),
      aggregates: new DbAggregateSource(api),
      filters,
      weighers: [
        ramWeigher(fs.ram_weight_multiplier),
        cpuWeigher(fs.cpu_weight_multiplier),
        diskWeigher(fs.disk_weight_multiplier),
        softAffinityWeigher(fs.soft_affinity_weight_multiplier),
        softAntiAffinityWeigher(fs.soft_anti_affinity_weight_multiplier),
      ],
      logger: ctx.logger,
      defaultAvailabilityZone: config.DEFAULT.default_availability_zone,
      maxPlacementResults: config.scheduler.max_placement_results,
      hostSubsetSize: fs.host_subset_size,
      computeBinary: COMPUTE_BINARY,
    });
    const consumer = await ctx.bus.serve(
      { topic: SCHEDULER_TOPIC, server: config.DEFAULT.host },
      { select_destinations: (args) => manager.selectDestinations(args) },
    );
    return { endpoints: [`bus topic ${SCHEDULER_TOPIC}`], stop: () => consumer.stop() };
  },
};
