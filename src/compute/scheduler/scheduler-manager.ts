import type { Logger } from 'pino';
import type { ServiceRegistry } from '../../platform/service/service-registry.js';
import type { PlacementCandidates, PlacementClaims } from '../placement-ports.js';
import type { ComputeNodeRow, ComputeNodeStore } from '../db/compute-node-store.js';
import type { RequestSpec, Selection } from '../request-spec.js';
import type { SelectDestinationsArgs } from './client.js';
import type { HostFilter } from './filters/host-filter.js';
import type { HostState, SchedulingRequest } from './host-state.js';
import {
  NoValidHostError,
  describeNoValidHost,
  filterHosts,
  weighHosts,
} from './host-selection.js';
import type { AllocationRequest, ProviderSummary } from '../placement-ports.js';
import type { HostAggregateSource } from './host-aggregate-source.js';
import type { HostWeigher } from './weighers/host-weigher.js';

/** What the scheduler reads and uses. */
export interface SchedulerDeps {
  placement: PlacementCandidates & PlacementClaims;
  nodes: ComputeNodeStore;
  services: ServiceRegistry;
  aggregates: HostAggregateSource;
  filters: HostFilter[];
  weighers: HostWeigher[];
  logger: Logger;
  defaultAvailabilityZone: string;
  maxPlacementResults: number;
  hostSubsetSize: number;
  /** The binary compute agents register under. */
  computeBinary: string;
  random?: () => number;
}

/** The candidate limit when every node of a host must be seen. */
const UNLIMITED = 100_000;

interface Candidate {
  state: HostState;
  request: AllocationRequest;
}

/**
 * select_destinations (ARCHITECTURE.md §2, step 3): allocation candidates from Placement, host
 * states from the compute nodes, filters and weighers, then a claim in Placement for the chosen
 * host, trying the next best when a concurrent claim won. Returns the selection and alternates.
 */
export class SchedulerManager {
  constructor(private readonly deps: SchedulerDeps) {}

  /** Picks and claims a host for every instance of the request. */
  async selectDestinations(args: SelectDestinationsArgs): Promise<Selection[][]> {
    const { spec } = args;
    const candidates = await this.candidates(spec);
    const group = spec.group ? structuredClone(spec.group) : null;
    const results: Selection[][] = [];
    const claimed: string[] = [];
    try {
      for (const uuid of args.instanceUuids) {
        const req: SchedulingRequest = {
          ...spec,
          instanceUuid: uuid,
          group,
          ignoreHosts: args.ignoreHosts ?? [],
        };
        const states = candidates.map((c) => c.state);
        const { passed, stats } = filterHosts(states, req, this.deps.filters);
        if (passed.length === 0) {
          throw new NoValidHostError(describeNoValidHost(states.length, stats), {
            details: { filters: stats },
          });
        }
        const weighed = weighHosts(passed, req, this.deps.weighers);
        const subset = Math.max(1, Math.min(this.deps.hostSubsetSize, weighed.length));
        const first = Math.floor((this.deps.random ?? Math.random)() * subset);
        const order = [weighed[first]!, ...weighed.filter((_, i) => i !== first)];
        let chosen: Candidate | undefined;
        for (const w of order) {
          const c = candidates.find((x) => x.state === w.host)!;
          if (
            await this.deps.placement.claim(
              uuid,
              c.request.allocations,
              spec.projectId,
              spec.userId,
            )
          ) {
            chosen = c;
            break;
          }
        }
        if (!chosen)
          throw new NoValidHostError(
            'No valid host was found. Every candidate host was claimed by a concurrent request.',
          );
        claimed.push(uuid);
        consume(chosen.state, spec, uuid);
        if (group) {
          group.hosts = [...new Set([...group.hosts, chosen.state.host])];
          group.membersPerHost[chosen.state.host] =
            (group.membersPerHost[chosen.state.host] ?? 0) + 1;
        }
        const alternates = order
          .map((w) => candidates.find((x) => x.state === w.host)!)
          .filter((c) => c.state.uuid !== chosen!.state.uuid)
          .slice(0, args.alternates);
        results.push([chosen, ...alternates].map((c) => selectionOf(c)));
      }
    } catch (err) {
      // All or nothing, as upstream: a multi-create that cannot place every instance claims none.
      await Promise.all(claimed.map((uuid) => this.deps.placement.release(uuid)));
      throw err;
    }
    return results;
  }

  /**
   * The compute node tree to ask Placement about when a host or node was requested or forced
   * (Nova's resources_from_request_spec): one node gives `in_tree`; a host with several nodes
   * lifts the candidate limit instead so none of them is cut off; none is NoValidHost.
   */
  private async targetTree(spec: RequestSpec): Promise<{ inTree?: string; unlimited: boolean }> {
    const dest = spec.requestedDestination ?? null;
    const host = dest?.host ?? spec.forceHosts[0] ?? null;
    const node = dest?.node ?? spec.forceNodes[0] ?? null;
    if (host === null && node === null) return { unlimited: false };
    const nodes = (await this.deps.nodes.list(host === null ? {} : { host })).filter(
      (n) => node === null || n.hypervisor_hostname === node,
    );
    if (nodes.length === 0) {
      throw new NoValidHostError(
        `No valid host was found. No such host - host: ${host ?? 'None'} node: ${node ?? 'None'}`,
      );
    }
    return nodes.length === 1 ? { inTree: nodes[0]!.uuid, unlimited: false } : { unlimited: true };
  }

  private async candidates(spec: RequestSpec): Promise<Candidate[]> {
    const { deps } = this;
    const tree = await this.targetTree(spec);
    const res = await deps.placement.allocationCandidates({
      resources: spec.resources,
      required: spec.requiredTraits,
      memberOf: spec.memberOf,
      ...(tree.inTree ? { inTree: tree.inTree } : {}),
      // Placement has no "unlimited"; its largest page stands in for Nova's limit=None.
      limit: tree.unlimited
        ? Math.max(deps.maxPlacementResults, UNLIMITED)
        : deps.maxPlacementResults,
    });
    if (res.allocationRequests.length === 0) return [];
    // The compute node of a request is the root provider it allocates from.
    const byRoot = new Map<string, AllocationRequest>();
    for (const ar of res.allocationRequests) {
      const rp = Object.keys(ar.allocations)[0];
      if (!rp) continue;
      const root = res.providerSummaries[rp]?.root_provider_uuid ?? rp;
      if (!byRoot.has(root)) byRoot.set(root, ar);
    }
    const nodes = await deps.nodes.list({ uuids: [...byRoot.keys()] });
    const services = new Map(
      (await deps.services.list({ binary: deps.computeBinary })).map((s) => [s.host, s]),
    );
    const aggregates = await deps.aggregates.forHosts([...new Set(nodes.map((n) => n.host))]);
    return nodes.map((node) => {
      const svc = services.get(node.host);
      const agg = aggregates.get(node.host);
      return {
        request: byRoot.get(node.uuid)!,
        state: hostState(node, res.providerSummaries[node.uuid], {
          serviceEnabled: svc ? !svc.disabled : false,
          serviceUp: svc?.up ?? false,
          disabledReason: svc?.disabledReason ?? null,
          availabilityZone: agg?.availabilityZone ?? deps.defaultAvailabilityZone,
          aggregateMetadata: agg?.metadata ?? {},
        }),
      };
    });
  }
}

function hostState(
  node: ComputeNodeRow,
  summary: ProviderSummary | undefined,
  extra: Pick<
    HostState,
    'serviceEnabled' | 'serviceUp' | 'disabledReason' | 'availabilityZone' | 'aggregateMetadata'
  >,
): HostState {
  const used = (rc: string, fallback: number) => summary?.resources[rc]?.used ?? fallback;
  return {
    host: node.host,
    nodename: node.hypervisor_hostname,
    uuid: node.uuid,
    ...extra,
    vcpusTotal: node.vcpus,
    vcpusUsed: used('VCPU', node.vcpus_used),
    memoryMbTotal: node.memory_mb,
    memoryMbUsed: used('MEMORY_MB', node.memory_mb_used),
    diskGbTotal: node.local_gb,
    diskGbUsed: used('DISK_GB', node.local_gb_used),
    cpuAllocationRatio: node.cpu_allocation_ratio,
    ramAllocationRatio: node.ram_allocation_ratio,
    diskAllocationRatio: node.disk_allocation_ratio,
    hypervisorType: node.hypervisor_type,
    hypervisorVersion: node.hypervisor_version,
    supportedInstances: JSON.parse(node.supported_instances) as [string, string, string][],
    instances: new Set(),
    capabilities: {
      cpu_info: JSON.parse(node.cpu_info) as unknown,
      hypervisor_type: node.hypervisor_type,
    },
  };
}

/** Accounts a placed instance in its host's state, so the next instance of the request sees it. */
function consume(h: HostState, spec: RequestSpec, uuid: string): void {
  h.vcpusUsed += spec.flavor.vcpus;
  h.memoryMbUsed += spec.flavor.memoryMb;
  h.diskGbUsed += spec.flavor.rootGb + spec.flavor.ephemeralGb;
  h.instances.add(uuid);
}

function selectionOf(c: Candidate): Selection {
  return {
    host: c.state.host,
    nodename: c.state.nodename,
    computeNodeUuid: c.state.uuid,
    allocations: c.request.allocations,
    availabilityZone: c.state.availabilityZone,
  };
}
