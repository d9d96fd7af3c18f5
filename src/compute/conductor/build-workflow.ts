import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import { StratusError } from '../../common/errors.js';
import type { ActionStore } from '../db/action-store.js';
import type { FixedIpStore } from '../db/fixed-ip-store.js';
import type { InstanceStore } from '../db/instance-store.js';
import { UnexpectedTaskStateError } from '../db/instance-store.js';
import type { ComputeAgentClient } from '../agent/client.js';
import type { SchedulerClient } from '../scheduler/client.js';
import type { RequestSpec, Selection } from '../request-spec.js';
import { toDbTimestamp } from '../../platform/db/timestamps.js';
import { TaskState, VmState } from '../vm-states.js';
import type { BuildInstancesArgs } from './client.js';
import type { PlacementClaims } from '../placement-ports.js';

/** The instance action event the conductor records for a build, as upstream names it. */
export const SCHEDULE_EVENT = 'conductor_schedule_and_build_instances';

/** What the build workflow uses. */
export interface BuildWorkflowDeps {
  instances: InstanceStore;
  actions: ActionStore;
  scheduler: SchedulerClient;
  agents: ComputeAgentClient;
  placement: PlacementClaims;
  fixedIps: FixedIpStore;
  logger: Logger;
  clock: Clock;
  /** [scheduler] max_attempts: the first try plus reschedules. */
  maxAttempts: number;
  /** How long a host may take to build before the reaper fails the instance, in seconds. */
  buildTimeoutSec: number;
}

/**
 * The build workflow (ARCHITECTURE.md §2, steps 2-4 and the reschedule of step 5): schedule,
 * record the host on the instance, hand the build to that host's agent; on a reschedule, claim
 * the next alternate. Every step is in the database before the next message goes out, and an
 * instance that can go nowhere ends in ERROR with a fault saying why.
 */
export class BuildWorkflow {
  constructor(private readonly deps: BuildWorkflowDeps) {}

  /** Runs one build_instances message. */
  async run(args: BuildInstancesArgs, requestId: string): Promise<void> {
    if (args.hostLists) {
      await Promise.all(
        args.instanceUuids.map((uuid, i) =>
          this.reschedule(uuid, args, args.hostLists![i] ?? [], requestId),
        ),
      );
      return;
    }
    const { deps } = this;
    for (const uuid of args.instanceUuids)
      await deps.actions.startEvent(uuid, requestId, SCHEDULE_EVENT, null);
    let lists: Selection[][];
    try {
      lists = await deps.scheduler.selectDestinations(
        {
          spec: args.spec,
          instanceUuids: args.instanceUuids,
          alternates: Math.max(0, deps.maxAttempts - 1),
        },
        requestId,
      );
    } catch (err) {
      const message = err instanceof StratusError ? err.message : 'Scheduling failed.';
      if (!(err instanceof StratusError)) deps.logger.error({ err }, 'select_destinations failed');
      await Promise.all(args.instanceUuids.map((uuid) => this.fail(uuid, message, requestId)));
      return;
    }
    await Promise.all(
      args.instanceUuids.map(async (uuid, i) => {
        const [selection, ...alternates] = lists[i] ?? [];
        if (!selection) return this.fail(uuid, 'No valid host was found. ', requestId);
        await this.dispatch(uuid, args.spec, selection, alternates, [], requestId);
      }),
    );
  }

  private async reschedule(
    uuid: string,
    args: BuildInstancesArgs,
    alternates: Selection[],
    requestId: string,
  ): Promise<void> {
    await this.deps.actions.startEvent(uuid, requestId, SCHEDULE_EVENT, null);
    const tried = args.triedHosts ?? [];
    const remaining = [...alternates];
    while (remaining.length > 0 && tried.length < this.deps.maxAttempts) {
      const next = remaining.shift()!;
      const claimed = await this.deps.placement.claim(
        uuid,
        next.allocations,
        args.spec.projectId,
        args.spec.userId,
      );
      if (claimed) {
        await this.dispatch(uuid, args.spec, next, remaining, tried, requestId);
        return;
      }
    }
    // Nova's MaxRetriesExceeded wording, plus what went wrong last.
    const why = args.lastError ? ` Last error: ${args.lastError}` : '';
    await this.fail(
      uuid,
      `Exceeded maximum number of retries. Exhausted all hosts available for retrying build failures for instance ${uuid}.${why}`,
      requestId,
    );
  }

  /** Records the chosen host and casts the build to it; releases the claim if the instance is gone. */
  private async dispatch(
    uuid: string,
    spec: RequestSpec,
    selection: Selection,
    alternates: Selection[],
    tried: string[],
    requestId: string,
  ): Promise<void> {
    const { deps } = this;
    try {
      await deps.instances.update(
        uuid,
        {
          host: selection.host,
          node: selection.nodename,
          launched_on: selection.host,
          availability_zone: selection.availabilityZone,
          task_deadline: toDbTimestamp(deps.clock.now() + deps.buildTimeoutSec * 1000),
        },
        { expectedTaskState: [TaskState.SCHEDULING] },
      );
    } catch (err) {
      // Deleted (or otherwise moved on) while being scheduled: give the resources back.
      await deps.placement.release(uuid);
      if (
        err instanceof UnexpectedTaskStateError ||
        (err instanceof StratusError && err.status === 404)
      )
        return;
      throw err;
    }
    await deps.actions.finishEvent(uuid, requestId, SCHEDULE_EVENT, { ok: true });
    await deps.agents.buildAndRunInstance(
      selection.host,
      { instanceUuid: uuid, spec, selection, alternates, triedHosts: [...tried, selection.host] },
      requestId,
    );
  }

  /** Puts an instance in ERROR with a fault, releasing whatever it holds. */
  async fail(uuid: string, message: string, requestId: string): Promise<void> {
    const { deps } = this;
    await deps.placement.release(uuid);
    await deps.fixedIps.release(uuid);
    try {
      await deps.instances.update(
        uuid,
        { vm_state: VmState.ERROR, task_state: null, task_deadline: null },
        { fault: { code: 500, message } },
      );
    } catch (err) {
      if (err instanceof StratusError && err.status === 404) return;
      throw err;
    }
    await deps.actions.finishEvent(uuid, requestId, SCHEDULE_EVENT, { ok: false, message });
    deps.logger.warn({ instance: uuid, reason: message }, 'build failed');
  }
}
