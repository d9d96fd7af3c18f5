import { MISC_SHARES_VIA_AGGREGATE } from '../standard-catalog.js';
import {
  NO_CANDIDATES,
  memoized,
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

/** True when the provider is in (at least one aggregate of) every list. */
function inEvery(p: IndexedProvider | undefined, memberOf: string[][]): boolean {
  if (!p) return false;
  for (const anyOf of memberOf) {
    let found = false;
    for (const agg of anyOf) {
      if (p.aggregates.has(agg)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

/**
 * The providers of the aggregate list with the fewest members (to walk instead of every
 * provider); undefined when nobody is in one of the lists, so nothing can match.
 */
function smallestAggregateList(
  index: ProviderIndex,
  memberOf: string[][],
): { ids: Iterable<number>; size: number } | undefined {
  let best: { ids: Iterable<number>; size: number } | undefined;
  for (const anyOf of memberOf) {
    const sets = anyOf.map((a) => index.byAggregate.get(a)).filter((s) => s !== undefined);
    const size = sets.reduce((n, s) => n + s.size, 0);
    if (size === 0) return undefined;
    if (!best || size < best.size) {
      best = {
        ids: dedupe(
          (function* () {
            for (const s of sets) yield* s;
          })(),
        ),
        size,
      };
    }
  }
  return best;
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

function hasAll(traits: Set<number>, required: Set<number>[]): boolean {
  for (const anyOf of required) {
    let found = false;
    for (const t of anyOf) {
      if (traits.has(t)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
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

function* dedupe(items: Iterable<number>): Generator<number> {
  const seen = new Set<number>();
  for (const x of items) {
    if (seen.has(x)) continue;
    seen.add(x);
    yield x;
  }
}

const byId = (a: number, b: number) => a - b;

/**
 * A group satisfied by single providers (upstream's get_provider_ids_matching and
 * _alloc_candidates_single_provider): each provider that alone has every resource with
 * capacity, the required traits and aggregates and none of the forbidden ones anchors a
 * request at its root, and a sharing provider also at every root it shares with. Anchors are
 * found by walking the smallest indexed set the group constrains.
 */
export function searchSingleProvider(ctx: SearchContext, g: ResolvedGroup): GroupResult {
  const { index } = ctx;
  const treeRoot = treeRootOf(index, g);
  if (treeRoot === null) return NO_CANDIDATES;
  const aggDriver = g.memberOf.length > 0 ? smallestAggregateList(index, g.memberOf) : null;
  if (aggDriver === undefined) return NO_CANDIDATES;
  const drivers: { ids: Iterable<number>; size: number }[] = [];
  for (const rc of g.resources.keys()) {
    const set = index.byResourceClass.get(rc);
    if (!set) return NO_CANDIDATES;
    drivers.push({ ids: set, size: set.size });
  }
  for (const anyOf of g.requiredTraits) {
    const holders = [...anyOf].map((t) => index.byTrait.get(t)).filter((s) => s !== undefined);
    if (holders.length === 0) return NO_CANDIDATES;
    if (holders.length === 1) drivers.push({ ids: holders[0]!, size: holders[0]!.size });
  }
  if (aggDriver) drivers.push(aggDriver);
  if (treeRoot !== undefined) {
    const tree = index.tree(treeRoot);
    drivers.push({ ids: tree, size: tree.length });
  }
  // A group that constrains nothing (resourceless, without traits or aggregates) matches
  // nothing, as upstream.
  if (drivers.length === 0 && g.requiredTraits.length === 0) return NO_CANDIDATES;
  const driver = drivers.reduce((a, b) => (a.size <= b.size ? a : b), {
    ids: index.providers.keys() as Iterable<number>,
    size: index.providers.size,
  });
  const matches = (p: IndexedProvider): boolean => {
    if (treeRoot !== undefined && p.rootId !== treeRoot) return false;
    if (g.memberOf.length > 0 && !inEvery(p, g.memberOf)) return false;
    for (const [rc, amount] of g.resources)
      if (!canServe(p.inventories.get(rc), amount)) return false;
    return (
      hasAll(p.traits, g.requiredTraits) &&
      hasNone(p.traits, g.forbiddenTraits) &&
      hasNone(p.aggregates, g.forbiddenAggregates)
    );
  };
  const anchorAllowed = (a: number) => !ctx.anchorRoots || ctx.anchorRoots.has(a);
  const shares = index.traitIds.get(MISC_SHARES_VIA_AGGREGATE);
  const sharingMatches =
    shares === undefined
      ? []
      : [...ctx.sharing].filter((id) => {
          const p = index.providers.get(id);
          return p !== undefined && matches(p);
        });
  const resources = [...g.resources];
  const request = (anchor: number, rp: number): AllocationRequest => ({
    anchor,
    useSameProvider: g.useSameProvider,
    resources: resources.map(([rc, amount]) => ({ rp, rc, amount })),
    mappings: new Map([[g.suffix, new Set([rp])]]),
  });
  return {
    estimate: driver.size + sharingMatches.length,
    anchors: () =>
      dedupe(
        (function* () {
          for (const id of driver.ids) {
            const p = index.providers.get(id);
            if (p && matches(p) && anchorAllowed(p.rootId)) yield p.rootId;
          }
          for (const sp of sharingMatches) {
            for (const a of anchorsOf(ctx, sp)) if (anchorAllowed(a)) yield a;
          }
        })(),
      ),
    requestsFor: memoized((anchor) => {
      if (!anchorAllowed(anchor)) return [];
      const rps = new Set<number>();
      for (const id of index.tree(anchor)) if (matches(index.providers.get(id)!)) rps.add(id);
      for (const sp of sharingMatches) if (anchorsOf(ctx, sp).has(anchor)) rps.add(sp);
      return [...rps].sort(byId).map((rp) => request(anchor, rp));
    }),
  };
}

/**
 * A group that several providers of one tree, or sharing providers, may satisfy together
 * (upstream's get_trees_matching_all and _alloc_candidates_multiple_providers, used for the
 * unsuffixed group when trees or sharing exist): under each anchor, one provider per class, in
 * every combination whose providers together have the required traits and none forbidden.
 */
export function searchTrees(ctx: SearchContext, g: ResolvedGroup): GroupResult {
  const { index } = ctx;
  if (g.requiredTraits.length > 0) {
    const anyHolder = g.requiredTraits.some((set) => [...set].some((t) => index.byTrait.has(t)));
    if (!anyHolder) return NO_CANDIDATES;
  }
  const treeRoot = treeRootOf(index, g);
  if (treeRoot === null) return NO_CANDIDATES;
  if (g.memberOf.length > 0 && !smallestAggregateList(index, g.memberOf)) return NO_CANDIDATES;
  const inAggs = (id: number) =>
    g.memberOf.length === 0 || inEvery(index.providers.get(id), g.memberOf);
  const bad = new Set<number>();
  for (const agg of g.forbiddenAggregates) {
    for (const id of index.byAggregate.get(agg) ?? []) bad.add(id);
  }
  const rcs = [...g.resources.keys()];
  for (const rc of rcs) if (!index.byResourceClass.has(rc)) return NO_CANDIDATES;
  // Sharing providers able to serve each class (upstream: only without in_tree).
  const sharingFor = new Map<number, number[]>();
  for (const [rc, amount] of g.resources) {
    const list: number[] = [];
    if (treeRoot === undefined) {
      for (const sp of ctx.sharing) {
        if (!inAggs(sp)) continue;
        if (canServe(index.providers.get(sp)?.inventories.get(rc), amount)) list.push(sp);
      }
    }
    sharingFor.set(rc, list);
  }
  const anchorAllowed = (a: number) => !ctx.anchorRoots || ctx.anchorRoots.has(a);
  const keep = (rp: number, anchor: number) =>
    (inAggs(rp) || inAggs(anchor)) && !bad.has(rp) && !bad.has(anchor);
  const traitFilterByTree =
    ctx.sharing.size === 0 && (g.requiredTraits.length > 0 || g.forbiddenTraits.size > 0);
  const driverRc = rcs.reduce((a, b) =>
    index.byResourceClass.get(a)!.size <= index.byResourceClass.get(b)!.size ? a : b,
  );

  const candidatesUnder = (anchor: number): Map<number, number[]> | undefined => {
    if (!anchorAllowed(anchor)) return undefined;
    if (treeRoot !== undefined && anchor !== treeRoot) return undefined;
    const tree = index.tree(anchor);
    const byRc = new Map<number, number[]>();
    for (const [rc, amount] of g.resources) {
      const rps = new Set<number>();
      for (const id of tree) {
        if (canServe(index.providers.get(id)!.inventories.get(rc), amount) && keep(id, anchor)) {
          rps.add(id);
        }
      }
      for (const sp of sharingFor.get(rc)!) {
        if (anchorsOf(ctx, sp).has(anchor) && keep(sp, anchor)) rps.add(sp);
      }
      if (rps.size === 0) return undefined;
      byRc.set(rc, [...rps].sort(byId));
    }
    if (traitFilterByTree) {
      // upstream's tree-level trait filter: the tree's candidate providers without forbidden
      // traits must together have the required ones.
      const all = new Set([...byRc.values()].flat());
      const good = [...all].filter((rp) =>
        hasNone(index.providers.get(rp)!.traits, g.forbiddenTraits),
      );
      if (good.length === 0) return undefined;
      const traits = new Set(good.flatMap((rp) => [...index.providers.get(rp)!.traits]));
      if (!hasAll(traits, g.requiredTraits)) return undefined;
    }
    return byRc;
  };

  return {
    estimate: index.byResourceClass.get(driverRc)!.size + sharingFor.get(driverRc)!.length,
    anchors: () =>
      dedupe(
        (function* () {
          if (treeRoot !== undefined) {
            yield treeRoot;
            return;
          }
          const amount = g.resources.get(driverRc)!;
          for (const id of index.byResourceClass.get(driverRc)!) {
            const p = index.providers.get(id)!;
            if (canServe(p.inventories.get(driverRc), amount)) yield p.rootId;
          }
          for (const sp of sharingFor.get(driverRc)!) yield* anchorsOf(ctx, sp);
        })(),
      ),
    requestsFor: memoized((anchor) => {
      const byRc = candidatesUnder(anchor);
      if (!byRc) return [];
      const lists = [...byRc.keys()]
        .sort(byId)
        .map((rc) => byRc.get(rc)!.map((rp) => ({ rp, rc, amount: g.resources.get(rc)! })));
      const out: AllocationRequest[] = [];
      for (const combo of product(lists)) {
        const traits = new Set<number>();
        let forbidden = false;
        for (const r of combo) {
          const p = index.providers.get(r.rp)!;
          if (!hasNone(p.traits, g.forbiddenTraits)) forbidden = true;
          for (const t of p.traits) traits.add(t);
        }
        if (forbidden || !hasAll(traits, g.requiredTraits)) continue;
        out.push({
          anchor,
          useSameProvider: g.useSameProvider,
          resources: combo,
          mappings: new Map([[g.suffix, new Set(combo.map((r) => r.rp))]]),
        });
      }
      return out;
    }),
  };
}
