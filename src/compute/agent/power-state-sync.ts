import type { Logger } from 'pino';
import type { ConductorClient } from '../conductor/client.js';
import type { InstanceRow } from '../db/instance-store.js';
import { PowerState } from '../power-state.js';
import type { VirtDriver } from '../virt/driver.js';
import { VmState } from '../vm-states.js';

/**
 * Nova's _sync_power_states: the hypervisor is the truth about power. Every interval each
 * instance on this host without a task in progress gets the driver's power state in the
 * database, and a guest that stopped by itself is taken to STOPPED (an active server found
 * shut down, crashed or suspended), or one that runs while the database says stopped is
 * stopped again. Updates expect no task state, so a task that starts meanwhile wins.
 */
export interface PowerSyncDeps {
  host: string;
  driver: VirtDriver;
  conductor: ConductorClient;
  logger: Logger;
  /** Seconds a clean shutdown may take when a guest has to be stopped. */
  shutdownTimeoutSec: number;
}

const STOPPED_STATES: readonly number[] = [PowerState.SHUTDOWN, PowerState.CRASHED];

/** One round over the host's instances; returns how many records changed. */
export async function syncPowerStates(deps: PowerSyncDeps): Promise<number> {
  const [instances, guests] = await Promise.all([
    deps.conductor.instancesOnHost(deps.host),
    deps.driver.listGuests(),
  ]);
  const power = new Map(guests.map((g) => [g.uuid, g.powerState]));
  let changed = 0;
  for (const inst of instances) {
    if (inst.task_state !== null || inst.host !== deps.host) continue;
    try {
      if (await syncOne(deps, inst, power.get(inst.uuid) ?? PowerState.NOSTATE)) changed++;
    } catch (err) {
      // Another task took the instance (its task state moved) or the driver failed: the next
      // round looks again.
      deps.logger.warn({ instance: inst.uuid, err }, 'power state sync skipped an instance');
    }
  }
  return changed;
}

async function syncOne(deps: PowerSyncDeps, inst: InstanceRow, vmPower: number): Promise<boolean> {
  const log = deps.logger.child({ instance: inst.uuid });
  let changed = false;
  if (vmPower !== inst.power_state) {
    log.info(
      { dbPowerState: inst.power_state, vmPowerState: vmPower },
      'the database power state does not match the hypervisor; updating it',
    );
    await deps.conductor.instanceUpdate(inst.uuid, { power_state: vmPower }, [null]);
    changed = true;
  }
  const stop = async (why: string) => {
    log.warn({ vmState: inst.vm_state, vmPowerState: vmPower }, why);
    if (!STOPPED_STATES.includes(vmPower) && vmPower !== PowerState.NOSTATE) {
      await deps.driver.powerOff(inst.uuid, deps.shutdownTimeoutSec);
    }
    const after = (await deps.driver.guestInfo(inst.uuid))?.powerState ?? PowerState.NOSTATE;
    await deps.conductor.instanceUpdate(
      inst.uuid,
      { vm_state: VmState.STOPPED, power_state: after },
      [null],
    );
    changed = true;
  };
  switch (inst.vm_state) {
    case VmState.ACTIVE:
      if (STOPPED_STATES.includes(vmPower)) await stop('instance shut down by itself; stopping it');
      else if (vmPower === PowerState.SUSPENDED)
        await stop('instance suspended unexpectedly; stopping it');
      else if (vmPower === PowerState.PAUSED) log.warn('instance is paused unexpectedly; ignored');
      else if (vmPower === PowerState.NOSTATE)
        log.warn('instance is unexpectedly not found; ignored');
      break;
    case VmState.STOPPED:
      if (!STOPPED_STATES.includes(vmPower) && vmPower !== PowerState.NOSTATE) {
        await stop('instance is running while stopped in the database; stopping it');
      }
      break;
    case VmState.PAUSED:
      if (STOPPED_STATES.includes(vmPower)) await stop('paused instance shut down by itself');
      break;
    default:
      break;
  }
  return changed;
}
