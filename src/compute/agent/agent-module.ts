import { PeriodicTasks } from '../../platform/service/periodic-tasks.js';
import type { ServiceModule } from '../../platform/service/service-module.js';
import { PlacementClient } from '../../placement/client.js';
import { ConductorClient } from '../conductor/client.js';
import { createDriver } from '../virt/create-driver.js';
import { InstanceNotifier, notifierSettings } from '../instance-notifier.js';
import { agentOptions } from './agent-options.js';
import { COMPUTE_TOPIC, type BuildAndRunArgs } from './client.js';
import { ComputeAgent } from './compute-agent.js';
import { syncPowerStates } from './power-state-sync.js';

/** `stratus compute`: one per hypervisor host, drives the virt driver (nova-compute). */
export const computeAgentModule: ServiceModule<typeof agentOptions> = {
  name: 'compute',
  binary: 'stratus-compute',
  description: 'run instances on this host through the virt driver (fake for now)',
  options: agentOptions,
  // A compute host never opens the database: everything goes through the conductor.
  migrations: () => [],
  async start(ctx) {
    const { config } = ctx;
    const host = config.DEFAULT.host;
    const driver = createDriver(config.DEFAULT.compute_driver, config);
    await driver.initHost(host);
    const conductor = new ConductorClient(ctx.bus);
    const agent = new ComputeAgent({
      host,
      driver,
      conductor,
      placement: new PlacementClient(ctx.serviceSession),
      notifier: new InstanceNotifier(
        ctx.bus,
        notifierSettings(config),
        `nova-compute:${host}`,
        ctx.clock,
        ctx.ids,
      ),
      logger: ctx.logger,
      clock: ctx.clock,
      spawnTimeoutSec: config.compute.spawn_timeout,
      resources: {
        cpuAllocationRatio: config.DEFAULT.cpu_allocation_ratio,
        ramAllocationRatio: config.DEFAULT.ram_allocation_ratio,
        diskAllocationRatio: config.DEFAULT.disk_allocation_ratio,
        reservedHostMemoryMb: config.DEFAULT.reserved_host_memory_mb,
        reservedHostDiskMb: config.DEFAULT.reserved_host_disk_mb,
        reservedHostCpus: config.DEFAULT.reserved_host_cpus,
      },
    });
    const consumer = await ctx.bus.serve(
      { topic: COMPUTE_TOPIC, server: host },
      {
        build_and_run_instance: (args: BuildAndRunArgs, c) =>
          agent.buildAndRun(args, c.requestId ?? 'req-unknown'),
        terminate_instance: (args: { instanceUuid: string }, c) =>
          agent.terminate(args.instanceUuid, c.requestId ?? 'req-unknown'),
        get_host_uptime: () => driver.hostUptime(),
      },
    );
    const periodic = new PeriodicTasks(ctx.logger);
    // Recovery and the first report wait for the conductor and Placement, which may start
    // later: retried every few seconds until done, then the report repeats at its interval.
    let recovered = false;
    let lastReport = 0;
    const refreshMs = config.compute.resource_provider_association_refresh * 1000;
    periodic.add('report-and-recover', 2_000, async () => {
      if (recovered && ctx.clock.now() - lastReport < refreshMs) return;
      await agent.reportResources();
      lastReport = ctx.clock.now();
      if (!recovered) {
        await agent.recover();
        recovered = true;
        ctx.logger.info({ host }, 'compute host ready');
      }
    });
    const syncInterval = config.DEFAULT.sync_power_state_interval;
    if (syncInterval > 0) {
      periodic.add('sync-power-states', syncInterval * 1000, async () => {
        if (!recovered) return;
        await syncPowerStates({
          host,
          driver,
          conductor,
          logger: ctx.logger,
          shutdownTimeoutSec: config.DEFAULT.shutdown_timeout,
        });
      });
    }
    const reapInterval = config.DEFAULT.running_deleted_instance_poll_interval;
    const reapAction = config.DEFAULT.running_deleted_instance_action;
    if (reapInterval > 0 && reapAction !== 'noop') {
      periodic.add('cleanup-running-deleted', reapInterval * 1000, async () => {
        if (!recovered) return;
        await agent.cleanupRunningDeleted(
          reapAction,
          config.DEFAULT.running_deleted_instance_timeout,
        );
      });
    }
    return {
      endpoints: [`bus topic ${COMPUTE_TOPIC}.${host} (${driver.type} driver)`],
      // The driver, for in-process tests that inspect what the fake one was asked to do.
      local: { driver },
      async stop() {
        await periodic.stop();
        await consumer.stop();
        await driver.close();
      },
    };
  },
};
