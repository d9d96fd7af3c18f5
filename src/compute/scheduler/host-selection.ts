import { StratusError, registerErrorClass } from '../../common/errors.js';
import type { HostFilter } from './filters/host-filter.js';
import type { HostState, SchedulingRequest } from './host-state.js';
import type { HostWeigher } from './weighers/host-weigher.js';

/** Nova's NoValidHost: no host passed the filters; the message says which filter removed how many. */
export class NoValidHostError extends StratusError {
  constructor(message: string, opts: { code?: string; details?: Record<string, unknown> } = {}) {
    super(message, { code: 'scheduler.no_valid_host', ...opts, status: 500 });
  }
}
registerErrorClass(NoValidHostError);

/** How many hosts one filter removed. */
export interface FilterStat {
  filter: string;
  before: number;
  removed: number;
}

/** A host with its total weight. */
export interface WeighedHost {
  host: HostState;
  weight: number;
}

/** Runs the enabled filters in order, recording what each removed. */
export function filterHosts(
  hosts: readonly HostState[],
  req: SchedulingRequest,
  filters: readonly HostFilter[],
): { passed: HostState[]; stats: FilterStat[] } {
  let current = hosts.filter((h) => !req.ignoreHosts.includes(h.host));
  const stats: FilterStat[] = [];
  if (current.length < hosts.length) {
    stats.push({
      filter: 'previous attempts',
      before: hosts.length,
      removed: hosts.length - current.length,
    });
  }
  // Nova 2.74: a requested host/node narrows the hosts before the filters, which still run.
  const dest = req.requestedDestination ?? null;
  if (dest && (dest.host !== null || dest.node !== null)) {
    const before = current.length;
    current = current.filter(
      (h) =>
        (dest.host === null || h.host === dest.host) &&
        (dest.node === null || h.nodename === dest.node),
    );
    stats.push({ filter: 'requested destination', before, removed: before - current.length });
  }
  // Forced hosts and nodes (admin `az:host:node`) skip the filters, as upstream.
  if (req.forceHosts.length || req.forceNodes.length) {
    const forced = current.filter(
      (h) =>
        (!req.forceHosts.length || req.forceHosts.includes(h.host)) &&
        (!req.forceNodes.length || req.forceNodes.includes(h.nodename)),
    );
    stats.push({
      filter: 'forced host',
      before: current.length,
      removed: current.length - forced.length,
    });
    return { passed: forced, stats };
  }
  for (const f of filters) {
    if (current.length === 0) break;
    const next = current.filter((h) => f.passes(h, req));
    stats.push({ filter: f.name, before: current.length, removed: current.length - next.length });
    current = next;
  }
  return { passed: current, stats };
}

/** Scores hosts: each weigher's scores normalized to 0..1 over the hosts, times its multiplier. */
export function weighHosts(
  hosts: readonly HostState[],
  req: SchedulingRequest,
  weighers: readonly HostWeigher[],
): WeighedHost[] {
  const totals = hosts.map(() => 0);
  for (const w of weighers) {
    if (w.multiplier === 0) continue;
    const raw = hosts.map((h) => w.weigh(h, req));
    const min = Math.min(...raw);
    const max = Math.max(...raw);
    raw.forEach((r, i) => {
      const normalized = max === min ? 0 : (r - min) / (max - min);
      totals[i]! += normalized * w.multiplier;
    });
  }
  return hosts.map((host, i) => ({ host, weight: totals[i]! })).sort((a, b) => b.weight - a.weight);
}

/** Explains an empty result: "Filter X removed N of M hosts; ..." for the NoValidHost fault. */
export function describeNoValidHost(total: number, stats: readonly FilterStat[]): string {
  if (total === 0)
    return 'No valid host was found. There are no compute hosts with enough free resources.';
  const parts = stats
    .filter((s) => s.removed > 0)
    .map((s) => `${s.filter} removed ${s.removed} of ${s.before}`);
  return `No valid host was found. ${parts.length ? parts.join('; ') : 'No host passed the filters'}.`;
}

/**
 * Picks hosts for a request: filters, weighers, then a random pick among the best
 * `hostSubsetSize` (Nova's host_subset_size, spreading concurrent requests). Returns the chosen
 * host first and the rest as alternates, or throws NoValidHostError saying why.
 */
export function selectHosts(
  hosts: readonly HostState[],
  req: SchedulingRequest,
  filters: readonly HostFilter[],
  weighers: readonly HostWeigher[],
  opts: { hostSubsetSize: number; random?: () => number },
): WeighedHost[] {
  const { passed, stats } = filterHosts(hosts, req, filters);
  if (passed.length === 0) {
    throw new NoValidHostError(describeNoValidHost(hosts.length, stats), {
      details: { filters: stats },
    });
  }
  const weighed = weighHosts(passed, req, weighers);
  const subset = Math.max(1, Math.min(opts.hostSubsetSize, weighed.length));
  const pick = Math.floor((opts.random ?? Math.random)() * subset);
  const [chosen] = weighed.splice(pick, 1);
  return [chosen!, ...weighed];
}
