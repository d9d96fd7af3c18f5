import type { ProviderAggregates } from './placement-mirror.js';

/** What the sync reads: the aggregates and their hosts (AggregateStore has it). */
export interface AggregateSource {
  list(): Promise<{ uuid: string; name: string; hosts: string[] }[]>;
}

/** What the sync reads: a host's compute nodes (CellRecords has it). */
export interface HostNodes {
  nodesOn(host: string): Promise<{ uuid: string; hypervisor_hostname: string }[]>;
}

/** Exit codes of `placement sync_aggregates`, as nova-manage's. */
export const SyncAggregatesExit = {
  OK: 0,
  /** Adding a provider to an aggregate failed in Placement. */
  PLACEMENT_FAILED: 3,
  /** Hosts in aggregates without compute node records. */
  NO_COMPUTE_NODES: 5,
  /** Compute nodes without a resource provider. */
  NO_PROVIDER: 6,
} as const;

/** The outcome: the exit code and the lines to print (`verbose` lines only when asked). */
export interface SyncAggregatesResult {
  code: number;
  lines: string[];
}

/**
 * nova-manage placement sync_aggregates: puts every host aggregate's uuid on the resource
 * providers of its hosts' compute nodes, keeping the providers' other aggregates, for providers
 * created after their host joined the aggregate (the API mirrors only at add_host time).
 * Problems are collected and reported at the end, as upstream, except a Placement failure,
 * which stops the run with exit code 3. Nova's code 1 (a host with several compute nodes) does
 * not apply: every node of a host is mirrored here, as the API's mirror does. Nova's code 4
 * (no host mapping) does not apply either: Stratus has one cell and no host mappings.
 */
export async function syncAggregates(deps: {
  aggregates: AggregateSource;
  nodes: HostNodes;
  placement: ProviderAggregates;
  verbose: boolean;
}): Promise<SyncAggregatesResult> {
  const lines: string[] = [];
  const say = (line: string) => {
    if (deps.verbose) lines.push(line);
  };
  const nodesByHost = new Map<string, { uuid: string }[]>();
  const noNodes = new Set<string>();
  const noProvider = new Map<string, string[]>();
  say('Filling in missing placement aggregates');
  for (const aggregate of await deps.aggregates.list()) {
    say(`Processing aggregate: ${aggregate.name}`);
    for (const host of aggregate.hosts) {
      say(`Processing host: ${host}`);
      let nodes = nodesByHost.get(host);
      if (!nodes) {
        nodes = await deps.nodes.nodesOn(host);
        nodesByHost.set(host, nodes);
      }
      if (nodes.length === 0) {
        noNodes.add(host);
        continue;
      }
      for (const node of nodes) {
        let added: boolean;
        try {
          added = await deps.placement.addProviderAggregate(node.uuid, aggregate.uuid);
        } catch (err) {
          lines.push(
            `Failed updating provider aggregates for host (${host}), provider (${node.uuid}) ` +
              `and aggregate (${aggregate.uuid}). Error: ${err instanceof Error ? err.message : String(err)}`,
          );
          return { code: SyncAggregatesExit.PLACEMENT_FAILED, lines };
        }
        if (!added) {
          const missing = noProvider.get(host) ?? [];
          if (!missing.includes(node.uuid)) missing.push(node.uuid);
          noProvider.set(host, missing);
          continue;
        }
        say(
          `Successfully added host (${host}) and provider (${node.uuid}) to aggregate ` +
            `(${aggregate.uuid}).`,
        );
      }
    }
  }
  let code: number = SyncAggregatesExit.OK;
  if (noNodes.size) {
    lines.push(
      'Unable to find matching compute_nodes record entries in the cell database for the ' +
        'following hosts; does the compute service on each host need to be restarted? ' +
        `Missing: ${[...noNodes].join(',')}`,
    );
    code = SyncAggregatesExit.NO_COMPUTE_NODES;
  }
  if (noProvider.size) {
    const pairs = [...noProvider.keys()]
      .sort()
      .flatMap((host) => noProvider.get(host)!.map((rp) => `(${host}=${rp})`));
    lines.push(
      'Unable to find matching resource provider record in placement with uuid for the ' +
        `following hosts: ${pairs.join(',')}. Try restarting the compute service on each host ` +
        'and then retry.',
    );
    code = SyncAggregatesExit.NO_PROVIDER;
  }
  return { code, lines };
}
