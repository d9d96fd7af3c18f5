import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import { withDeadline } from '../../common/deadline.js';
import { StratusError } from '../../common/errors.js';
import { fromDbTimestamp, toDbTimestamp } from '../../platform/db/timestamps.js';
import type { ConductorClient } from '../conductor/client.js';
import type { InstanceRow } from '../db/instance-store.js';
import type { PlacementClaims, PlacementReporter } from '../placement-ports.js';
import { PowerState } from '../power-state.js';
import type { FlavorSnapshot } from '../request-spec.js';
import type { VirtDriver } from '../virt/driver.js';
import type { InstanceNotifier } from '../instance-notifier.js';
import { driverNics, type VifInfo } from '../network-info.js';
import { TaskState, VmState } from '../vm-states.js';
import type { BuildAndRunArgs } from './client.js';
import { nodeInventory, nodeReport, type ResourceSettings } from './resource-report.js';

/** Upstream's event names for os-instance-actions. */
const BUILD_EVENT = 'compute__do_build_and_run_instance';
const TERMINATE_EVENT = 'compute_terminate_instance';

/** What an agent works with. */
export interface ComputeAgentDeps {
  host: string;
  driver: VirtDriver;
  conductor: ConductorClient;
  placement: PlacementClaims & PlacementReporter;
  notifier: InstanceNotifier;
  logger: Logger;
  clock: Clock;
  resources: ResourceSettings;
  /** Deadline of one spawn, in seconds. */
  spawnTimeoutSec: number;
}

function message(err: unknown): string {
  return err instanceof StratusError
    ? err.message
    : err instanceof Error
      ? err.message
      : String(err);
}

/**
 * The per-host compute service: reports its nodes to the conductor and Placement, builds and
 * destroys instances through the virt driver, and reports every state change through the
 * conductor (it never opens the database). A failed build is cleaned up and handed back to the
 * conductor with the untried alternates for a reschedule.
 */
export class ComputeAgent {
  constructor(private readonly deps: ComputeAgentDeps) {}

  /** Reports every node: compute_nodes rows through the conductor, providers and inventory in Placement. */
  async reportResources(): Promise<void> {
    const { deps } = this;
    const instances = await deps.conductor.instancesOnHost(deps.host);
    for (const node of await deps.driver.nodes()) {
      const { uuid } = await deps.conductor.computeNodeUpdate(
        nodeReport(deps.host, node, instances, deps.resources),
      );
      await deps.placement.ensureProvider(uuid, node.nodename);
      await deps.placement.setInventory(uuid, nodeInventory(node, deps.resources));
      await deps.placement.setTraits(uuid, node.traits);
    }
  }

  /** build_and_run_instance: spawn on the selected node; on failure clean up and reschedule. */
  async buildAndRun(args: BuildAndRunArgs, requestId: string): Promise<void> {
    const { deps } = this;
    const uuid = args.instanceUuid;
    await deps.conductor.actionEvent(uuid, requestId, BUILD_EVENT, {
      start: true,
      host: deps.host,
    });
    let instance: InstanceRow;
    try {
      instance = await deps.conductor.instanceUpdate(uuid, { task_state: TaskState.SPAWNING }, [
        TaskState.SCHEDULING,
      ]);
    } catch (err) {
      // Deleted before we started: nothing was created here, only the claim to give back.
      deps.logger.info({ instance: uuid, err: message(err) }, 'build skipped: instance changed');
      await deps.placement.release(uuid);
      return;
    }
    await deps.notifier.instance('create', 'start', instance, { requestId });
    let vifs: VifInfo[] = [];
    const nics = args.spec.networks ?? [];
    try {
      if (nics.length) vifs = await deps.conductor.allocateNetworks(uuid, nics);
    } catch (err) {
      // Nova: a network that cannot be allocated aborts the build; another host would not help.
      await deps.notifier.instance('create', 'error', instance, {
        requestId,
        fault: { message: message(err), exception: err instanceof Error ? err.name : 'Error' },
      });
      await this.buildAborted(
        uuid,
        requestId,
        `Build of instance ${uuid} aborted: Failed to allocate the network(s) with error ${message(err)}, not rescheduling.`,
      );
      return;
    }
    try {
      await withDeadline(`spawn of ${uuid}`, deps.spawnTimeoutSec * 1000, (signal) =>
        deps.driver.spawn(
          {
            uuid,
            name: `instance-${instance.id.toString(16).padStart(8, '0')}`,
            node: args.selection.nodename,
            vcpus: instance.vcpus,
            memoryMb: instance.memory_mb,
            rootGb: instance.root_gb,
            ephemeralGb: instance.ephemeral_gb,
            swapMb: instance.swap_mb,
            imageId: instance.image_ref,
            imageProperties: JSON.parse(instance.image_meta) as Record<string, unknown>,
            userData: instance.user_data,
            configDrive: instance.config_drive !== '',
            // Nova decodes the personality files in the compute manager, just before spawn.
            injectedFiles: (args.spec.injectedFiles ?? []).map((f) => ({
              path: f.path,
              contents: Buffer.from(f.contents, 'base64').toString('utf8'),
            })),
            network: driverNics(vifs),
            metadata: {},
          },
          signal,
        ),
      );
    } catch (err) {
      await deps.notifier.instance('create', 'error', instance, {
        requestId,
        fault: { message: message(err), exception: err instanceof Error ? err.name : 'Error' },
      });
      await this.buildFailed(args, requestId, message(err));
      return;
    }
    let active: InstanceRow;
    try {
      active = await deps.conductor.instanceUpdate(
        uuid,
        {
          vm_state: VmState.ACTIVE,
          task_state: null,
          power_state: PowerState.RUNNING,
          launched_at: toDbTimestamp(deps.clock.now()),
          task_deadline: null,
        },
        [TaskState.SPAWNING],
      );
    } catch (err) {
      // Deleted while spawning: the delete is ours to finish on this host.
      deps.logger.info({ instance: uuid, err: message(err) }, 'instance deleted during spawn');
      await deps.driver.destroy(uuid);
      await deps.placement.release(uuid);
      return;
    }
    await deps.conductor.actionEvent(uuid, requestId, BUILD_EVENT, { start: false, ok: true });
    await deps.notifier.instance('create', 'end', active, { requestId });
  }

  /** What every failed build gives back (claims, NICs) and records (the failed build event). */
  private async releaseFailedBuild(uuid: string, requestId: string, why: string): Promise<void> {
    const { deps } = this;
    await deps.placement.release(uuid);
    await deps.conductor.deallocateNetworks(uuid);
    await deps.conductor.actionEvent(uuid, requestId, BUILD_EVENT, {
      start: false,
      ok: false,
      message: why,
    });
  }

  /** A build that must not be rescheduled: ERROR with a fault, everything it held released. */
  private async buildAborted(uuid: string, requestId: string, why: string): Promise<void> {
    const { deps } = this;
    deps.logger.warn({ instance: uuid, err: why }, 'build aborted');
    await this.releaseFailedBuild(uuid, requestId, why);
    try {
      await deps.conductor.instanceUpdate(
        uuid,
        { vm_state: VmState.ERROR, task_state: null, task_deadline: null },
        [TaskState.SPAWNING],
        { code: 500, message: why, host: deps.host },
      );
    } catch {
      return; // deleted meanwhile: nothing left to do
    }
  }

  private async buildFailed(args: BuildAndRunArgs, requestId: string, why: string): Promise<void> {
    const { deps } = this;
    const uuid = args.instanceUuid;
    deps.logger.warn({ instance: uuid, err: why }, 'spawn failed');
    await deps.driver
      .destroy(uuid)
      .catch((err: unknown) => deps.logger.error({ err, instance: uuid }, 'cleanup failed'));
    // The NICs go too; the next host allocates again (Nova cleans up networks on reschedule).
    await this.releaseFailedBuild(uuid, requestId, why);
    try {
      // Back to scheduling, as upstream does before a reschedule.
      await deps.conductor.instanceUpdate(
        uuid,
        { task_state: TaskState.SCHEDULING, host: null, node: null },
        [TaskState.SPAWNING],
      );
    } catch {
      return; // deleted meanwhile: nothing left to do
    }
    await deps.conductor.buildInstances(
      {
        spec: args.spec,
        instanceUuids: [uuid],
        hostLists: [args.alternates],
        triedHosts: args.triedHosts,
        lastError: why,
      },
      requestId,
    );
  }

  /** terminate_instance: destroy the guest, release its resources, mark it deleted. */
  async terminate(uuid: string, requestId: string): Promise<void> {
    const { deps } = this;
    await deps.conductor.actionEvent(uuid, requestId, TERMINATE_EVENT, {
      start: true,
      host: deps.host,
    });
    try {
      await deps.driver.destroy(uuid);
      await deps.placement.release(uuid);
      await deps.conductor.instanceDestroyed(uuid);
      await deps.conductor.actionEvent(uuid, requestId, TERMINATE_EVENT, {
        start: false,
        ok: true,
      });
    } catch (err) {
      await deps.conductor.actionEvent(uuid, requestId, TERMINATE_EVENT, {
        start: false,
        ok: false,
        message: message(err),
      });
      await deps.conductor
        .instanceUpdate(uuid, { vm_state: VmState.ERROR, task_state: null }, undefined, {
          code: 500,
          message: message(err),
          host: deps.host,
        })
        .catch(() => undefined);
    }
  }

  /**
   * Startup recovery: finishes what a crash interrupted. Deletes in flight are completed; builds
   * in flight end in ERROR with a fault (their guest, if any, destroyed); guests of instances
   * deleted while this host was down are destroyed; power states are brought up to date.
   */
  async recover(): Promise<void> {
    const { deps } = this;
    const instances = await deps.conductor.instancesOnHost(deps.host);
    const guests = new Map((await deps.driver.listGuests()).map((g) => [g.uuid, g]));
    for (const inst of instances) {
      const guest = guests.get(inst.uuid);
      guests.delete(inst.uuid);
      if (inst.task_state === TaskState.DELETING) {
        await this.terminate(inst.uuid, `req-recovery-${inst.uuid}`);
        continue;
      }
      if (inst.vm_state === VmState.BUILDING) {
        await deps.driver.destroy(inst.uuid).catch(() => undefined);
        await deps.placement.release(inst.uuid);
        await deps.conductor.deallocateNetworks(inst.uuid);
        const reason = `Build of instance ${inst.uuid} was interrupted by a restart of compute host ${deps.host}.`;
        await deps.conductor.instanceUpdate(
          inst.uuid,
          { vm_state: VmState.ERROR, task_state: null, task_deadline: null },
          undefined,
          { code: 500, message: reason, host: deps.host },
        );
        continue;
      }
      const power = guest?.powerState ?? PowerState.NOSTATE;
      if (inst.task_state !== null || inst.power_state !== power) {
        await deps.conductor.instanceUpdate(inst.uuid, {
          task_state: null,
          power_state: power,
          task_deadline: null,
        });
      }
    }
    // Guests whose instances were deleted while we were away (a delete with the host down).
    await this.reapGuests([...guests.keys()], 'reap');
  }

  /**
   * Nova's _cleanup_running_deleted_instances: guests still on the hypervisor whose instances
   * the database says are deleted (deleted while this host was cut off, without a restart).
   * `reap` destroys them and frees their allocations, `shutdown` powers them off, `log` only
   * tells; `olderThanSec` spares instances deleted more recently (a delete in flight).
   */
  async cleanupRunningDeleted(
    action: 'reap' | 'shutdown' | 'log',
    olderThanSec = 0,
  ): Promise<void> {
    const { deps } = this;
    const live = new Set((await deps.conductor.instancesOnHost(deps.host)).map((i) => i.uuid));
    const guests = (await deps.driver.listGuests()).map((g) => g.uuid).filter((u) => !live.has(u));
    await this.reapGuests(guests, action, olderThanSec);
  }

  private async reapGuests(
    uuids: string[],
    action: 'reap' | 'shutdown' | 'log',
    olderThanSec = 0,
  ): Promise<void> {
    const { deps } = this;
    for (const uuid of uuids) {
      const row = await deps.conductor.instanceGet(uuid, true).catch(() => undefined);
      if (row && !row.deleted) continue;
      const deletedAt = row?.deleted_at ? fromDbTimestamp(row.deleted_at).getTime() : 0;
      if (olderThanSec > 0 && deps.clock.now() - deletedAt < olderThanSec * 1000) continue;
      if (action === 'log') {
        deps.logger.warn({ instance: uuid }, 'the guest of a deleted instance is still here');
      } else if (action === 'shutdown') {
        deps.logger.info({ instance: uuid }, 'powering off the guest of a deleted instance');
        await deps.driver.powerOff(uuid, 0);
      } else {
        deps.logger.info({ instance: uuid }, 'destroying the guest of a deleted instance');
        await deps.driver.destroy(uuid);
        await deps.placement.release(uuid);
      }
    }
  }
}

/** The flavor snapshot stored on an instance. */
export function instanceFlavor(row: InstanceRow): FlavorSnapshot {
  return JSON.parse(row.flavor) as FlavorSnapshot;
}
