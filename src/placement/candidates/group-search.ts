import { MISC_SHARES_VIA_AGGREGATE } from '../standard-catalog.js';
import {
  NO_CANDIDATES,
  product,
  type AllocationRequest,
  type GroupResult,
} from './allocation-request.js';
import { canServe } from './capacity.js';
import type { IndexedProvider, ProviderIndex } from './provider-index.js';
import type { ResolvedGroup } from './resolve-request.js';

/** What every group's search shares within one request. */
export interface SearchContext {
  index: ProviderIndex;
  /** Roots allowed to anchor a candidate (root_required), or null for all. */
  anchorRoots: Set<number> | null;
  /** Providers sharing their inventory through aggregates. */
  sharing: Set<number>;
  /** Anchors of each sharing provider, computed once per request. */
  sharingAnchors: Map<number, Set<number>>;
}

/** Providers in every one of the lists of aggregates (any aggregate of each list). */
function inAggregates(index: ProviderIndex, memberOf: string[][]): Set<number> {
  let out: Set<number> | undefined;
  for (const anyOf of memberOf) {
    const union = new Set<number>();
    for (const agg of anyOf) for (const id of index.byAggregate.get(agg) ?? []) union.add(id);
    out = out ? new Set([...out].filter((id) => union.has(id))) : union;
    if (out.size === 0) break;
  }
  return out ?? new Set();
}

/**
 * The roots a sharing provider can anchor: those of every tree with a provider in one of its
 * aggregates (its own tree included, as it is in its own aggregates).
 */
export function anchorsOf(ctx: SearchContext, sharingId: number): Set<number> {
  let anchors = ctx.sharingAnchors.get(sharingId);
  if (anchors) return anchors;
  anchors = new Set();
  const sp = ctx.index.providers.get(sharingId);
  for (const agg of sp?.aggregates ?? []) {
    for (const id of ctx.index.byAggregate.get(agg) ?? []) {
      const p = ctx.index.providers.get(id);
      if (p) anchors.add(p.rootId);
    }
  }
  ctx.sharingAnchors.set(sharingId, anchors);
  return anchors;
}

function hasAll(p: IndexedProvider, required: Set<number>[]): boolean {
  return required.every((anyOf) => [...anyOf].some((t) => p.traits.has(t)));
}

function hasNone<T>(set: Set<T>, forbidden: Set<T>): boolean {
  for (const f of forbidden) if (set.has(f)) return false;
  return true;
}

/** The root a group's in_tree names: undefined when none was given, null when unknown. */
function treeRootOf(index: ProviderIndex, g: ResolvedGroup): number | null | undefined {
  if (g.inTree === undefined) return undefined;
  const id = index.byUuid.get(g.inTree);
  return id === undefined ? null : index.providers.get(id)!.rootId;
}

/**
 * The providers that alone satisfy a group (upstream's get_provider_ids_matching): every
 * resource with capacity, the required traits, the aggregates, none of the forbidden ones.
 * The search starts from the smallest of the indexed sets the group constrains.
 */
function matchingProviders(ctx: SearchContext, g: ResolvedGroup): number[] {
  const { index } = ctx;
  const treeRoot = treeRootOf(index, g);
  if (treeRoot === null) return [];
  const inAggs = g.memberOf.length > 0 ? inAggregates(index, g.memberOf) : null;
  if (inAggs && inAggs.size === 0) return [];
  const drivers: Iterable<number>[] = [];
  const sizes: number[] = [];
  const consider = (set: Iterable<number>, size: number) => {
    drivers.push(set);
    sizes.push(size);
  };
  for (const rc of g.resources.keys()) {
    const set = index.byResourceClass.get(rc);
    if (!set) return [];
    consider(set, set.size);
  }
  for (const anyOf of g.requiredTraits) {
    if (anyOf.size !== 1) continue;
    const set = index.byTrait.get([...anyOf][0]!);
    if (!set) return [];
    consider(set, set.size);
  }
  if (inAggs) consider(inAggs, inAggs.size);
  if (treeRoot !== undefined) {
    const tree = index.tree(treeRoot);
    consider(tree, tree.length);
  }
  // A group that constrains nothing (resourceless, without traits or aggregates) matches
  // nothing, as upstream.
  if (drivers.length === 0 && g.requiredTraits.length === 0) return [];
  let driver: Iterable<number> = index.providers.keys();
  if (drivers.length > 0) driver = drivers[sizes.indexOf(Math.min(...sizes))]!;
  const out: number[] = [];
  for (const id of driver) {
    const p = index.providers.get(id);
    if (!p) continue;
    if (treeRoot !== undefined && p.rootId !== treeRoot) continue;
    if (inAggs && !inAggs.has(id)) continue;
    let ok = true;
    for (const [rc, amount] of g.resources) {
      if (!canServe(p.inventories.get(rc), amount)) {
        ok = false;
        break;
      }
    }
    if (!ok || !hasAll(p, g.requiredTraits)) continue;
    if (!hasNone(p.traits, g.forbiddenTraits) || !hasNone(p.aggregates, g.forbiddenAggregates)) {
      continue;
    }
    out.push(id);
  }
  return out.sort((a, b) => a - b);
}

/**
 * A group satisfied by single providers: each matching provider anchors a request at its own
 * root, and a sharing provider also at every root it shares with.
 */
export function searchSingleProvider(ctx: SearchContext, g: ResolvedGroup): GroupResult {
  const matches = matchingProviders(ctx, g);
  if (matches.length === 0) return NO_CANDIDATES;
  const shares = ctx.index.traitIds.get(MISC_SHARES_VIA_AGGREGATE);
  const byAnchor = new Map<number, number[]>();
  const add = (anchor: number, rp: number) => {
    if (ctx.anchorRoots && !ctx.anchorRoots.has(anchor)) return;
    const list = byAnchor.get(anchor) ?? [];
    list.push(rp);
    byAnchor.set(anchor, list);
  };
  for (const rp of matches) {
    const p = ctx.index.providers.get(rp)!;
    add(p.rootId, rp);
    if (shares !== undefined && p.traits.has(shares)) {
      for (const anchor of anchorsOf(ctx, rp)) if (anchor !== p.rootId) add(anchor, rp);
    }
  }
  const resources = [...g.resources];
  return {
    anchors: [...byAnchor.keys()].sort((a, b) => a - b),
    requestsFor: (anchor) =>
      (byAnchor.get(anchor) ?? []).map((rp): AllocationRequest => ({
        anchor,
        useSameProvider: g.useSameProvider,
        resources: resources.map(([rc, amount]) => ({ rp, rc, amount })),
        mappings: new Map([[g.suffix, new Set([rp])]]),
      })),
  };
}

/** anchor → resource class → providers able to serve it under that anchor. */
type TreeCandidates = Map<number, Map<number, Set<number>>>;

function treeCandidates(ctx: SearchContext, g: ResolvedGroup): TreeCandidates {
  const { index } = ctx;
  const treeRoot = treeRootOf(index, g);
  if (treeRoot === null) return new Map();
  const inAggs = g.memberOf.length > 0 ? inAggregates(index, g.memberOf) : null;
  if (inAggs && inAggs.size === 0) return new Map();
  const bad = new Set<number>();
  for (const agg of g.forbiddenAggregates)
    for (const id of index.byAggregate.get(agg) ?? []) bad.add(id);
  let result: TreeCandidates | undefined;
  for (const [rc, amount] of g.resources) {
    const cand = new Map<number, Set<number>>();
    const add = (anchor: number, rp: number) => {
      if (ctx.anchorRoots && !ctx.anchorRoots.has(anchor)) return;
      if (inAggs && !inAggs.has(rp) && !inAggs.has(anchor)) return;
      if (bad.has(rp) || bad.has(anchor)) return;
      let set = cand.get(anchor);
      if (!set) cand.set(anchor, (set = new Set()));
      set.add(rp);
    };
    let any = false;
    for (const rp of index.byResourceClass.get(rc) ?? []) {
      const p = index.providers.get(rp)!;
      if (treeRoot !== undefined && p.rootId !== treeRoot) continue;
      if (!canServe(p.inventories.get(rc), amount)) continue;
      any = true;
      add(p.rootId, rp);
    }
    if (!any) return new Map();
    if (ctx.sharing.size > 0 && treeRoot === undefined) {
      for (const sp of ctx.sharing) {
        if (inAggs && !inAggs.has(sp)) continue;
        if (!canServe(index.providers.get(sp)?.inventories.get(rc), amount)) continue;
        for (const anchor of anchorsOf(ctx, sp)) add(anchor, sp);
      }
    }
    if (!result) {
      result = new Map([...cand].map(([anchor, rps]) => [anchor, new Map([[rc, rps]])]));
    } else {
      for (const anchor of [...result.keys()]) {
        const rps = cand.get(anchor);
        if (rps) result.get(anchor)!.set(rc, rps);
        else result.delete(anchor);
      }
    }
    if (result.size === 0) return result;
  }
  return result ?? new Map();
}

/** upstream's tree-level trait filter (only when no sharing provider exists). */
function filterTreesByTraits(ctx: SearchContext, g: ResolvedGroup, cands: TreeCandidates): void {
  const { index } = ctx;
  for (const [anchor, byRc] of [...cands]) {
    const rps = new Set([...byRc.values()].flatMap((s) => [...s]));
    const good = [...rps].filter((rp) =>
      hasNone(index.providers.get(rp)!.traits, g.forbiddenTraits),
    );
    let keep: boolean;
    if (g.requiredTraits.length === 0) keep = good.length > 0;
    else {
      const traits = new Set(good.flatMap((rp) => [...index.providers.get(rp)!.traits]));
      keep =
        good.length > 0 && g.requiredTraits.every((anyOf) => [...anyOf].some((t) => traits.has(t)));
    }
    if (!keep) cands.delete(anchor);
  }
}

/**
 * A group that several providers of one tree, or sharing providers, may satisfy together
 * (the unsuffixed group when trees or sharing exist): one provider per class, in every
 * combination whose providers together have the required traits and none forbidden.
 */
export function searchTrees(ctx: SearchContext, g: ResolvedGroup): GroupResult {
  if (g.requiredTraits.length > 0) {
    const anyHolder = g.requiredTraits.some((set) =>
      [...set].some((t) => ctx.index.byTrait.has(t)),
    );
    if (!anyHolder) return NO_CANDIDATES;
  }
  const cands = treeCandidates(ctx, g);
  if (ctx.sharing.size === 0 && (g.requiredTraits.length > 0 || g.forbiddenTraits.size > 0)) {
    filterTreesByTraits(ctx, g, cands);
  }
  if (cands.size === 0) return NO_CANDIDATES;
  return {
    anchors: [...cands.keys()].sort((a, b) => a - b),
    requestsFor: (anchor) => {
      const byRc = cands.get(anchor);
      if (!byRc) return [];
      const rcs = [...byRc.keys()].sort((a, b) => a - b);
      const lists = rcs.map((rc) =>
        [...byRc.get(rc)!]
          .sort((a, b) => a - b)
          .map((rp) => ({ rp, rc, amount: g.resources.get(rc)! })),
      );
      const out: AllocationRequest[] = [];
      for (const combo of product(lists)) {
        const providers = combo.map((r) => ctx.index.providers.get(r.rp)!);
        if (providers.some((p) => !hasNone(p.traits, g.forbiddenTraits))) continue;
        const traits = new Set(providers.flatMap((p) => [...p.traits]));
        if (!g.requiredTraits.every((anyOf) => [...anyOf].some((t) => traits.has(t)))) continue;
        out.push({
          anchor,
          useSameProvider: g.useSameProvider,
          resources: combo,
          mappings: new Map([[g.suffix, new Set(combo.map((r) => r.rp))]]),
        });
      }
      return out;
    },
  };
}
