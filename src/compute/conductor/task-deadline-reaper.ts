import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import { StratusError } from '../../common/errors.js';
import { toDbTimestamp } from '../../platform/db/timestamps.js';
import type { FixedIpStore } from '../db/fixed-ip-store.js';
import type { InstanceStore } from '../db/instance-store.js';
import { VmState } from '../vm-states.js';
import type { PlacementClaims } from '../placement-ports.js';

/**
 * Fails instances whose transitional task state outlived its deadline (a host that died
 * mid-build, a lost message), so nothing stays in BUILD forever: ERROR with a fault that names
 * the task state, and the resources released. Safe with several conductors: the update only
 * applies from the task state it saw.
 */
export async function reapOverdueTasks(deps: {
  instances: InstanceStore;
  placement: PlacementClaims;
  fixedIps: FixedIpStore;
  clock: Clock;
  logger: Logger;
}): Promise<number> {
  const overdue = await deps.instances.listOverdue(toDbTimestamp(deps.clock.now()));
  let reaped = 0;
  for (const inst of overdue) {
    const building = inst.vm_state === VmState.BUILDING;
    try {
      await deps.instances.update(
        inst.uuid,
        {
          vm_state: building ? VmState.ERROR : inst.vm_state,
          task_state: null,
          task_deadline: null,
        },
        {
          expectedTaskState: [inst.task_state as never],
          ...(building
            ? {
                fault: {
                  code: 500,
                  message: `Build of instance ${inst.uuid} timed out in task state ${inst.task_state ?? 'None'} on host ${inst.host ?? '(none)'}.`,
                  host: inst.host,
                },
              }
            : {}),
        },
      );
    } catch (err) {
      if (err instanceof StratusError && (err.status === 409 || err.status === 404)) continue;
      throw err;
    }
    if (building) {
      await deps.placement.release(inst.uuid);
      await deps.fixedIps.release(inst.uuid);
    }
    deps.logger.warn({ instance: inst.uuid, task_state: inst.task_state }, 'task deadline passed');
    reaped++;
  }
  return reaped;
}
