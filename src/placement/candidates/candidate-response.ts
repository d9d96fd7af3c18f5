import type { Microversion } from '../api/microversion.js';
import type { AllocationRequest } from './allocation-request.js';
import { summaryCapacity } from './capacity.js';
import type { ProviderIndex } from './provider-index.js';

function requestView(index: ProviderIndex, req: AllocationRequest, version: Microversion) {
  const uuid = (id: number) => index.providers.get(id)!.uuid;
  const byProvider = new Map<number, Record<string, number>>();
  for (const r of req.resources) {
    const res = byProvider.get(r.rp) ?? {};
    res[index.classNames.get(r.rc)!] = r.amount;
    byProvider.set(r.rp, res);
  }
  if (!version.atLeast(12)) {
    return {
      allocations: [...byProvider].map(([rp, resources]) => ({
        resource_provider: { uuid: uuid(rp) },
        resources,
      })),
    };
  }
  const out: Record<string, unknown> = {
    allocations: Object.fromEntries(
      [...byProvider].map(([rp, resources]) => [uuid(rp), { resources }]),
    ),
  };
  if (version.atLeast(34)) {
    out.mappings = Object.fromEntries(
      [...req.mappings].map(([suffix, rps]) => [suffix, [...rps].sort((a, b) => a - b).map(uuid)]),
    );
  }
  return out;
}

/**
 * The body of GET /allocation_candidates for the microversion: the allocation requests (list
 * form before 1.12, mappings from 1.34) and a summary of every provider in the trees they use
 * (only the providers they use when nested candidates are hidden before 1.29), with all of
 * its classes from 1.27 (before, the requested ones), traits from 1.17, tree links from 1.29.
 */
export function candidatesBody(
  index: ProviderIndex,
  requests: AllocationRequest[],
  requestedClasses: Set<string>,
  version: Microversion,
  onlyUsedProviders: boolean,
): Record<string, unknown> {
  const providers: number[] = [];
  const seen = new Set<number>();
  const addProvider = (id: number) => {
    if (seen.has(id)) return;
    seen.add(id);
    providers.push(id);
  };
  for (const req of requests) {
    for (const r of req.resources) {
      if (onlyUsedProviders) addProvider(r.rp);
      else for (const id of index.tree(index.providers.get(r.rp)!.rootId)) addProvider(id);
    }
  }
  const summaries: Record<string, unknown> = {};
  for (const id of providers) {
    const p = index.providers.get(id)!;
    const resources: Record<string, { capacity: number; used: number }> = {};
    for (const [rc, inv] of [...p.inventories].sort((a, b) => a[0] - b[0])) {
      const name = index.classNames.get(rc)!;
      if (!version.atLeast(27) && !requestedClasses.has(name)) continue;
      resources[name] = { capacity: summaryCapacity(inv), used: inv.used };
    }
    const summary: Record<string, unknown> = { resources };
    if (version.atLeast(17))
      summary.traits = [...p.traits].map((t) => index.traitNames.get(t)!).sort();
    if (version.atLeast(29)) {
      summary.parent_provider_uuid =
        p.parentId === null ? null : index.providers.get(p.parentId)!.uuid;
      summary.root_provider_uuid = index.providers.get(p.rootId)!.uuid;
    }
    summaries[p.uuid] = summary;
  }
  return {
    allocation_requests: requests.map((r) => requestView(index, r, version)),
    provider_summaries: summaries,
  };
}
