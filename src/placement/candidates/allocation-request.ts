/** One amount of one class from one provider, part of an allocation request. */
export interface RequestedResource {
  rp: number;
  rc: number;
  amount: number;
}

/**
 * A candidate allocation for one request group (or, merged, for all of them): the resources,
 * the root provider that anchors it, and which providers satisfied which group suffix.
 */
export interface AllocationRequest {
  anchor: number;
  useSameProvider: boolean;
  resources: RequestedResource[];
  mappings: Map<string, Set<number>>;
}

/** The candidates of one group: which anchors it can be satisfied under, and how. */
export interface GroupResult {
  /** Anchor (root) provider ids, ascending. */
  anchors: number[];
  /** The group's allocation requests under one anchor, computed on demand. */
  requestsFor(anchor: number): AllocationRequest[];
}

/** The empty result: no candidates at all. */
export const NO_CANDIDATES: GroupResult = { anchors: [], requestsFor: () => [] };

/** Each combination of one item from every list, in order (itertools.product). */
export function* product<T>(lists: T[][]): Generator<T[]> {
  if (lists.some((l) => l.length === 0)) return;
  const idx = lists.map(() => 0);
  for (;;) {
    yield lists.map((l, i) => l[idx[i]!]!);
    let i = lists.length - 1;
    while (i >= 0) {
      idx[i]! += 1;
      if (idx[i]! < lists[i]!.length) break;
      idx[i] = 0;
      i -= 1;
    }
    if (i < 0) return;
  }
}
