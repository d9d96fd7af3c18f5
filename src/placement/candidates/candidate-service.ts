import type { Microversion } from '../api/microversion.js';
import type { CandidateFinder } from '../api/routes/candidate-routes.js';
import type { PlacementDeps } from '../service/placement-deps.js';
import { MISC_SHARES_VIA_AGGREGATE } from '../standard-catalog.js';
import type { AllocationRequest, GroupResult } from './allocation-request.js';
import { parseCandidateRequest } from './candidate-request.js';
import { candidatesBody } from './candidate-response.js';
import { searchSingleProvider, searchTrees, type SearchContext } from './group-search.js';
import { IndexSync } from './index-sync.js';
import { mergeCandidates } from './merge-candidates.js';
import type { ProviderIndex } from './provider-index.js';
import { resolveRequest, type ResolvedRequest } from './resolve-request.js';

function anchorRoots(index: ProviderIndex, req: ResolvedRequest): Set<number> | null {
  const { anchorRequired, anchorForbidden } = req.wide;
  if (!anchorRequired && !anchorForbidden) return null;
  const out = new Set<number>();
  for (const p of index.providers.values()) {
    if (p.parentId !== null) continue;
    if (anchorRequired && ![...anchorRequired].every((t) => p.traits.has(t))) continue;
    if (anchorForbidden && [...anchorForbidden].some((t) => p.traits.has(t))) continue;
    out.add(p.id);
  }
  return out;
}

/** Draws `n` of `items` at random (for [placement] randomize_allocation_candidates). */
function sample<T>(items: T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/**
 * GET /allocation_candidates from the in-memory provider index (refreshed from the change log
 * before each request): upstream's algorithm — each request group searched on its own (single
 * providers for granular groups, provider trees and sharing providers for the unsuffixed one),
 * then merged under common anchors — over indexed sets rather than SQL rows. Candidates are
 * only suggestions: claims are validated against the database when they are written.
 */
export class CandidateService implements CandidateFinder {
  readonly sync: IndexSync;

  constructor(private readonly deps: PlacementDeps) {
    this.sync = new IndexSync(() => deps.database.kysely);
  }

  /** Searches for one request; returns the response body for its microversion. */
  async find(params: URLSearchParams, version: Microversion): Promise<unknown> {
    const spec = parseCandidateRequest(params, version);
    const index = await this.sync.ensureFresh();
    const req = resolveRequest(spec, index);
    const requests = this.search(index, req, version);
    return candidatesBody(
      index,
      requests,
      req.requestedClasses,
      version,
      !version.atLeast(29) && index.hasTrees,
    );
  }

  private search(
    index: ProviderIndex,
    req: ResolvedRequest,
    version: Microversion,
  ): AllocationRequest[] {
    const cfg = this.deps.config;
    const roots = anchorRoots(index, req);
    if (roots && roots.size === 0) return [];
    const shares = index.traitIds.get(MISC_SHARES_VIA_AGGREGATE);
    const ctx: SearchContext = {
      index,
      anchorRoots: roots,
      sharing: new Set(shares === undefined ? [] : (index.byTrait.get(shares) ?? [])),
      sharingAnchors: new Map(),
    };
    const results: GroupResult[] = [];
    for (const g of req.groups) {
      const r =
        !g.useSameProvider && (ctx.sharing.size > 0 || index.hasTrees)
          ? searchTrees(ctx, g)
          : searchSingleProvider(ctx, g);
      if (r.estimate === 0) return [];
      results.push(r);
    }
    const limit = req.wide.limit;
    const max = cfg.max_allocation_candidates >= 0 ? cfg.max_allocation_candidates : undefined;
    const randomize = cfg.randomize_allocation_candidates;
    // Without randomization the first `limit` candidates are the answer: stop there.
    const stopAfter = !randomize && limit !== undefined ? Math.min(limit, max ?? limit) : max;
    const merged = mergeCandidates(index, results, {
      ...(req.wide.groupPolicy ? { groupPolicy: req.wide.groupPolicy } : {}),
      sameSubtrees: req.wide.sameSubtrees,
      suffixes: req.groups.map((g) => g.suffix),
      excludeNested: !version.atLeast(29) && index.hasTrees,
      ...(stopAfter !== undefined ? { stopAfter } : {}),
      strategy: cfg.allocation_candidates_generation_strategy,
      sharing: ctx.sharing,
    });
    if (!randomize) return merged;
    return limit !== undefined && limit < merged.length
      ? sample(merged, limit)
      : sample(merged, merged.length);
  }
}
