import { product, type AllocationRequest, type GroupResult } from './allocation-request.js';
import { summaryCapacity } from './capacity.js';
import type { ProviderIndex } from './provider-index.js';

/** How the merge runs. */
export interface MergeOptions {
  groupPolicy?: 'none' | 'isolate';
  sameSubtrees: Set<string>[];
  /** Suffixes of the groups, in request order (the first is the unsuffixed one if any). */
  suffixes: string[];
  /** Before 1.29: drop requests using two providers of one tree. */
  excludeNested: boolean;
  /** Stop after this many requests (limit without randomization, or max_allocation_candidates). */
  stopAfter?: number;
  strategy: 'depth-first' | 'breadth-first';
  /** The sharing providers (the only way one group's requests can repeat). */
  sharing: Set<number>;
}

function consolidate(parts: AllocationRequest[], anchor: number): AllocationRequest {
  const byKey = new Map<string, { rp: number; rc: number; amount: number }>();
  const mappings = new Map<string, Set<number>>();
  for (const part of parts) {
    for (const r of part.resources) {
      const key = `${r.rp}:${r.rc}`;
      const have = byKey.get(key);
      if (have) have.amount += r.amount;
      else byKey.set(key, { ...r });
    }
    for (const [suffix, rps] of part.mappings) {
      const set = mappings.get(suffix) ?? new Set<number>();
      for (const rp of rps) set.add(rp);
      mappings.set(suffix, set);
    }
  }
  return { anchor, useSameProvider: false, resources: [...byKey.values()], mappings };
}

function exceedsCapacity(index: ProviderIndex, req: AllocationRequest): boolean {
  for (const r of req.resources) {
    const inv = index.providers.get(r.rp)?.inventories.get(r.rc);
    if (!inv) return true;
    if (inv.used + r.amount > summaryCapacity(inv) || r.amount > inv.maxUnit) return true;
  }
  return false;
}

function isolated(parts: AllocationRequest[], granularGroups: number): boolean {
  const providers = new Set<number>();
  for (const p of parts) {
    if (!p.useSameProvider) continue;
    const first = p.mappings.values().next().value as Set<number> | undefined;
    for (const rp of first ?? []) providers.add(rp);
  }
  return providers.size === granularGroups;
}

function ancestors(index: ProviderIndex, rp: number): Set<number> {
  const out = new Set<number>();
  for (let cur: number | null | undefined = rp; cur !== null && cur !== undefined;) {
    out.add(cur);
    cur = index.providers.get(cur)?.parentId;
  }
  return out;
}

function inSameSubtree(
  index: ProviderIndex,
  parts: AllocationRequest[],
  suffixes: Set<string>,
): boolean {
  const rps = new Set<number>();
  for (const p of parts)
    for (const s of suffixes) for (const rp of p.mappings.get(s) ?? []) rps.add(rp);
  if (rps.size <= 1) return true;
  let common: Set<number> | undefined;
  for (const rp of rps) {
    const a = ancestors(index, rp);
    common = common ? new Set([...common].filter((x) => a.has(x))) : a;
  }
  return [...(common ?? [])].some((x) => rps.has(x));
}

function usesOneProviderPerTree(index: ProviderIndex, req: AllocationRequest): boolean {
  const roots = new Map<number, number>();
  for (const r of req.resources) roots.set(r.rp, index.providers.get(r.rp)?.rootId ?? r.rp);
  return new Set(roots.values()).size === roots.size;
}

function keyOf(req: AllocationRequest): string {
  const res = req.resources.map((r) => `${r.rp}:${r.rc}:${r.amount}`).sort();
  const maps = [...req.mappings]
    .map(([s, rps]) => `${s}=${[...rps].sort((a, b) => a - b).join('.')}`)
    .sort();
  return `${res.join(',')}|${maps.join(',')}`;
}

function* combosOf(groups: GroupResult[], anchor: number): Generator<AllocationRequest[]> {
  yield* product(groups.map((g) => g.requestsFor(anchor)));
}

function* roundRobin<T>(gens: Generator<T>[]): Generator<T> {
  let live = gens;
  while (live.length > 0) {
    const next: Generator<T>[] = [];
    for (const g of live) {
      const r = g.next();
      if (!r.done) {
        yield r.value;
        next.push(g);
      }
    }
    live = next;
  }
}

/**
 * Merges the groups' candidates into allocation requests that satisfy every group (upstream's
 * _merge_candidates): only anchors every group can use, every combination of one request per
 * group, kept when it honours group_policy and same_subtree and fits the providers' capacity
 * once consolidated; duplicates dropped.
 */
export function mergeCandidates(
  index: ProviderIndex,
  groups: GroupResult[],
  opts: MergeOptions,
): AllocationRequest[] {
  if (groups.length === 0) return [];
  // The group with the fewest possible anchors drives; the others answer per anchor.
  const driver = groups.reduce((a, b) => (a.estimate <= b.estimate ? a : b));
  const granular = opts.suffixes.filter((s) => s !== '').length;
  const stream =
    opts.strategy === 'breadth-first'
      ? roundRobin([...driver.anchors()].map((anchor) => tagged(anchor, combosOf(groups, anchor))))
      : (function* () {
          for (const anchor of driver.anchors()) yield* tagged(anchor, combosOf(groups, anchor));
        })();
  const seen = new Set<string>();
  const out: AllocationRequest[] = [];
  for (const [anchor, parts] of stream) {
    if (opts.groupPolicy === 'isolate' && !isolated(parts, granular)) continue;
    if (!opts.sameSubtrees.every((s) => inSameSubtree(index, parts, s))) continue;
    // One group needs no consolidation, and its requests can repeat only through a sharing
    // provider (anchored under several roots).
    const req = parts.length === 1 ? parts[0]! : consolidate(parts, anchor);
    if (exceedsCapacity(index, req)) continue;
    if (opts.excludeNested && !usesOneProviderPerTree(index, req)) continue;
    if (parts.length > 1 || req.resources.some((r) => opts.sharing.has(r.rp))) {
      const key = keyOf(req);
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(req);
    if (opts.stopAfter !== undefined && out.length >= opts.stopAfter) break;
  }
  return out;
}

function* tagged(
  anchor: number,
  combos: Generator<AllocationRequest[]>,
): Generator<[number, AllocationRequest[]]> {
  for (const c of combos) yield [anchor, c];
}
