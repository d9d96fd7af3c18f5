import { PeriodicTasks } from '../../platform/service/periodic-tasks.js';
import type { ServiceModule } from '../../platform/service/service-module.js';
import { PlacementClient } from '../../placement/client.js';
import { ComputeAgentClient } from '../agent/client.js';
import { computeSharedOptions } from '../compute-options.js';
import { ActionStore } from '../db/action-store.js';
import { cellMigrations } from '../db/cell-migrations.js';
import { ComputeNodeStore } from '../db/compute-node-store.js';
import { FixedIpStore } from '../db/fixed-ip-store.js';
import { FlatNetwork } from '../flat-network.js';
import { InstanceStore } from '../db/instance-store.js';
import { SchedulerClient } from '../scheduler/client.js';
import { BuildWorkflow } from './build-workflow.js';
import { CONDUCTOR_TOPIC } from './client.js';
import { ConductorEndpoint } from './conductor-endpoint.js';
import { reapOverdueTasks } from './task-deadline-reaper.js';
import { InstanceNotifier, notifierSettings } from '../instance-notifier.js';

/** Seconds a build may take when `[DEFAULT] instance_build_timeout` is 0 (no limit set). */
const DEFAULT_BUILD_DEADLINE_SEC = 3600;

/** `stratus conductor`: database access for compute hosts and the long workflows (nova-conductor). */
export const conductorModule: ServiceModule<typeof computeSharedOptions> = {
  name: 'conductor',
  binary: 'stratus-conductor',
  description: 'run build workflows and database access for compute hosts',
  options: computeSharedOptions,
  servesRegistry: true,
  migrations: (config) => [{ url: config.database.connection, set: cellMigrations }],
  async start(ctx) {
    const { config } = ctx;
    const cell = await ctx.database(config.database.connection);
    const instances = new InstanceStore(cell, ctx.clock);
    const actions = new ActionStore(cell, ctx.clock);
    const placement = new PlacementClient(ctx.serviceSession);
    const network = FlatNetwork.fromSettings(config.flat_network);
    const fixedIps = new FixedIpStore(cell, ctx.clock, ctx.ids);
    const build = new BuildWorkflow({
      instances,
      actions,
      scheduler: new SchedulerClient(ctx.bus),
      agents: new ComputeAgentClient(ctx.bus),
      placement,
      fixedIps,
      logger: ctx.logger,
      clock: ctx.clock,
      maxAttempts: config.scheduler.max_attempts,
      buildTimeoutSec: config.DEFAULT.instance_build_timeout || DEFAULT_BUILD_DEADLINE_SEC,
    });
    const endpoint = new ConductorEndpoint({
      build,
      instances,
      actions,
      nodes: new ComputeNodeStore(cell, ctx.clock, ctx.ids),
      fixedIps,
      network,
      notifier: new InstanceNotifier(
        ctx.bus,
        notifierSettings(config),
        `nova-conductor:${config.DEFAULT.host}`,
        ctx.clock,
        ctx.ids,
      ),
      logger: ctx.logger,
    });
    const consumer = await ctx.bus.serve(
      { topic: CONDUCTOR_TOPIC, server: config.DEFAULT.host },
      endpoint as never,
    );
    const periodic = new PeriodicTasks(ctx.logger);
    periodic.add(
      'task-deadline-reaper',
      30_000,
      async () => {
        await reapOverdueTasks({
          instances,
          placement,
          fixedIps,
          clock: ctx.clock,
          logger: ctx.logger,
        });
      },
      5_000,
    );
    return {
      endpoints: [`bus topic ${CONDUCTOR_TOPIC}`],
      async stop() {
        await periodic.stop();
        await consumer.stop();
      },
    };
  },
};
