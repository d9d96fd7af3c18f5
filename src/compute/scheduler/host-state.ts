import type { RequestSpec } from '../request-spec.js';

/**
 * What the scheduler knows about one compute node while it decides: capacity from the compute
 * node record, usage from Placement's provider summaries, service liveness, zone and aggregates,
 * and the instances already there (for server groups). Built fresh for every request.
 */
export interface HostState {
  host: string;
  nodename: string;
  /** The compute node's resource provider uuid in Placement. */
  uuid: string;
  availabilityZone: string;
  /** Metadata of the aggregates the host belongs to, merged (values of a key joined). */
  aggregateMetadata: Record<string, string[]>;
  serviceEnabled: boolean;
  serviceUp: boolean;
  /** Why the service is disabled, if it is. */
  disabledReason: string | null;
  vcpusTotal: number;
  vcpusUsed: number;
  memoryMbTotal: number;
  memoryMbUsed: number;
  diskGbTotal: number;
  diskGbUsed: number;
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
  hypervisorType: string;
  hypervisorVersion: number;
  /** (architecture, hypervisor type, vm mode) triples the node can run. */
  supportedInstances: [string, string, string][];
  /** Instance uuids on the host (consumers of its provider). */
  instances: Set<string>;
  /** Free-form capabilities a ComputeCapabilitiesFilter can match (cpu_info etc.). */
  capabilities: Record<string, unknown>;
}

/** The part of a request spec the filters and weighers read, for one instance. */
export interface SchedulingRequest extends Omit<
  RequestSpec,
  'flavor' | 'numInstances' | 'resources' | 'requiredTraits' | 'memberOf' | 'userId'
> {
  instanceUuid: string;
  flavor: {
    vcpus: number;
    memoryMb: number;
    rootGb: number;
    ephemeralGb: number;
    swapMb: number;
    extraSpecs: Record<string, string>;
  };
  /** Hosts to avoid (earlier failed attempts). */
  ignoreHosts: string[];
}
