import type { Bus } from '../../platform/bus/bus.js';
import type { InstanceChanges, InstanceFault, InstanceRow } from '../db/instance-store.js';
import type { NicRequest, VifInfo } from '../network-info.js';
import type { RequestSpec, Selection } from '../request-spec.js';
import type { TaskState } from '../vm-states.js';

/** The conductor's bus topic. */
export const CONDUCTOR_TOPIC = 'conductor';

/** Arguments of build_instances: a first build, or a reschedule with the hosts left to try. */
export interface BuildInstancesArgs {
  spec: RequestSpec;
  instanceUuids: string[];
  /** For a reschedule: per instance, the alternates still untried (claimed by the conductor). */
  hostLists?: Selection[][];
  /** Hosts already tried, for the fault when every attempt failed. */
  triedHosts?: string[];
  /** Why the previous attempt failed. */
  lastError?: string;
}

/** What an agent reports about a node (creating or updating its compute_nodes row). */
export interface ComputeNodeReport {
  host: string;
  nodename: string;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  vcpusUsed: number;
  memoryMbUsed: number;
  localGbUsed: number;
  runningVms: number;
  hypervisorType: string;
  hypervisorVersion: number;
  hostIp: string;
  cpuInfo: Record<string, unknown>;
  supportedInstances: [string, string, string][];
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
}

/** Typed RPC client of the conductor: workflows, and the database on behalf of compute hosts. */
export class ConductorClient {
  constructor(private readonly bus: Bus) {}

  /** Starts (or continues, for a reschedule) the build workflow; returns once it is queued. */
  buildInstances(args: BuildInstancesArgs, requestId: string): Promise<void> {
    return this.bus.cast(CONDUCTOR_TOPIC, 'build_instances', args, { requestId });
  }

  /** Updates an instance, optionally only from expected task states (compare-and-swap). */
  instanceUpdate(
    uuid: string,
    changes: InstanceChanges,
    expectedTaskState?: (TaskState | null)[],
    /** Recorded with the change, atomically (an instance put in ERROR says why at once). */
    fault?: InstanceFault,
  ): Promise<InstanceRow> {
    return this.bus.call(CONDUCTOR_TOPIC, 'instance_update', {
      uuid,
      changes,
      expectedTaskState,
      fault,
    });
  }

  /** Reads an instance (deleted ones too, when asked). */
  instanceGet(uuid: string, includeDeleted = false): Promise<InstanceRow> {
    return this.bus.call(CONDUCTOR_TOPIC, 'instance_get', { uuid, includeDeleted });
  }

  /** Live instances assigned to a host. */
  instancesOnHost(host: string): Promise<InstanceRow[]> {
    return this.bus.call(CONDUCTOR_TOPIC, 'instances_on_host', { host });
  }

  /**
   * Allocates the instance's NICs (fixed IPs, MACs) and records its network_info; returns the
   * NICs. Idempotent for an instance that already has them.
   */
  allocateNetworks(uuid: string, nics: NicRequest[]): Promise<VifInfo[]> {
    return this.bus.call(CONDUCTOR_TOPIC, 'allocate_networks', { uuid, nics });
  }

  /** Releases every fixed IP of an instance and empties its network_info. */
  deallocateNetworks(uuid: string): Promise<void> {
    return this.bus.call(CONDUCTOR_TOPIC, 'deallocate_networks', { uuid });
  }

  /** Marks an instance deleted once its host has cleaned up. */
  instanceDestroyed(uuid: string): Promise<void> {
    return this.bus.call(CONDUCTOR_TOPIC, 'instance_destroyed', { uuid });
  }

  /** Records the start or end of an instance action event. */
  actionEvent(
    uuid: string,
    requestId: string,
    event: string,
    phase: { start: true; host: string | null } | { start: false; ok: boolean; message?: string },
  ): Promise<void> {
    return this.bus.call(CONDUCTOR_TOPIC, 'action_event', { uuid, requestId, event, phase });
  }

  /** Creates or updates a node's compute_nodes row; returns its uuid (the Placement provider). */
  computeNodeUpdate(report: ComputeNodeReport): Promise<{ uuid: string }> {
    return this.bus.call(CONDUCTOR_TOPIC, 'compute_node_update', report);
  }
}
