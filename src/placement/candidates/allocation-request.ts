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

/**
 * The candidates of one group, computed lazily so that a limited request stops early: the
 * anchors (root providers) it may be satisfied under, and its requests under one anchor.
 */
export interface GroupResult {
  /** Anchors this group may use, in a deterministic order (some may turn out to be empty). */
  anchors(): Iterable<number>;
  /** An upper bound of how many anchors there are: the merge is driven by the smallest. */
  estimate: number;
  /** The group's allocation requests under one anchor (empty when there are none). */
  requestsFor(anchor: number): AllocationRequest[];
}

/** The empty result: no candidates at all. */
export const NO_CANDIDATES: GroupResult = {
  anchors: () => [],
  estimate: 0,
  requestsFor: () => [],
};

/** Wraps requestsFor with a per-anchor cache. */
export function memoized(fn: (anchor: number) => AllocationRequest[]) {
  const cache = new Map<number, AllocationRequest[]>();
  return (anchor: number) => {
    let r = cache.get(anchor);
    if (!r) cache.set(anchor, (r = fn(anchor)));
    return r;
  };
}

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
