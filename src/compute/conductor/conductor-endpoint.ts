import type { Logger } from 'pino';
import type { CallContext } from '../../platform/bus/bus.js';
import type { ActionStore } from '../db/action-store.js';
import type { ComputeNodeStore } from '../db/compute-node-store.js';
import type { FixedIpStore } from '../db/fixed-ip-store.js';
import type { FlatNetwork } from '../flat-network.js';
import type { NicRequest, VifInfo } from '../network-info.js';
import type {
  InstanceChanges,
  InstanceFault,
  InstanceRow,
  InstanceStore,
} from '../db/instance-store.js';
import type { TaskState } from '../vm-states.js';
import type { InstanceNotifier } from '../instance-notifier.js';
import type { BuildWorkflow } from './build-workflow.js';
import type { BuildInstancesArgs, ComputeNodeReport } from './client.js';

/**
 * The conductor's RPC methods (topic `conductor`): the build workflow, and database access on
 * behalf of compute hosts, which never open the database themselves.
 */
export class ConductorEndpoint {
  constructor(
    private readonly deps: {
      build: BuildWorkflow;
      instances: InstanceStore;
      actions: ActionStore;
      nodes: ComputeNodeStore;
      fixedIps: FixedIpStore;
      network: FlatNetwork;
      notifier: InstanceNotifier;
      logger: Logger;
    },
  ) {}

  /** Cast by the API (first build) and by agents (reschedule). */
  async build_instances(args: BuildInstancesArgs, ctx: CallContext): Promise<void> {
    await this.deps.build.run(args, ctx.requestId ?? 'req-unknown');
  }

  /** Compare-and-swap update of an instance for an agent. */
  async instance_update(
    args: {
      uuid: string;
      changes: InstanceChanges;
      expectedTaskState?: (TaskState | null)[];
      fault?: InstanceFault;
    },
    ctx: CallContext,
  ): Promise<InstanceRow> {
    const row = await this.deps.instances.update(args.uuid, args.changes, {
      ...(args.expectedTaskState ? { expectedTaskState: args.expectedTaskState } : {}),
      ...(args.fault ? { fault: args.fault } : {}),
    });
    // Nova sends instance.update on every state change (notify_on_state_change).
    if (
      'vm_state' in args.changes ||
      'task_state' in args.changes ||
      'power_state' in args.changes
    ) {
      await this.deps.notifier.instance(
        'update',
        '',
        row,
        ctx.requestId ? { requestId: ctx.requestId } : {},
      );
    }
    return row;
  }

  async instance_get(args: { uuid: string; includeDeleted?: boolean }): Promise<InstanceRow> {
    return this.deps.instances.get(args.uuid, { includeDeleted: args.includeDeleted ?? false });
  }

  async instances_on_host(args: { host: string }): Promise<InstanceRow[]> {
    return this.deps.instances.listByHost(args.host);
  }

  /** Gives an instance its NICs on the flat network (Nova's allocate_for_instance). */
  async allocate_networks(args: { uuid: string; nics: NicRequest[] }): Promise<VifInfo[]> {
    return this.deps.fixedIps.allocate(args.uuid, args.nics, this.deps.network);
  }

  /** Releases an instance's fixed IPs (a failed build, a reschedule). */
  async deallocate_networks(args: { uuid: string }): Promise<void> {
    await this.deps.fixedIps.release(args.uuid);
  }

  async instance_destroyed(args: { uuid: string }): Promise<void> {
    await this.deps.instances.softDelete(args.uuid);
  }

  async action_event(args: {
    uuid: string;
    requestId: string;
    event: string;
    phase: { start: true; host: string | null } | { start: false; ok: boolean; message?: string };
  }): Promise<void> {
    const { actions } = this.deps;
    if (args.phase.start) {
      await actions.startEvent(args.uuid, args.requestId, args.event, args.phase.host);
    } else {
      await actions.finishEvent(
        args.uuid,
        args.requestId,
        args.event,
        args.phase.ok ? { ok: true } : { ok: false, message: args.phase.message ?? 'failed' },
      );
    }
  }

  async compute_node_update(report: ComputeNodeReport): Promise<{ uuid: string }> {
    const row = await this.deps.nodes.upsert(report);
    return { uuid: row.uuid };
  }
}
