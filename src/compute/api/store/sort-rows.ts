/**
 * Sorts records by several keys in one direction, as oslo.db's paginate_query orders a page
 * (nulls sort first, as MySQL does ascending); the input is not modified.
 */
export function sortRows<T>(rows: readonly T[], keys: (keyof T)[], dir: 'asc' | 'desc'): T[] {
  const sign = dir === 'desc' ? -1 : 1;
  const cmp = (a: unknown, b: unknown): number => {
    if (a === b) return 0;
    if (a === null || a === undefined) return -1;
    if (b === null || b === undefined) return 1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
    const sa = String(a);
    const sb = String(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  };
  return [...rows].sort((x, y) => {
    for (const k of keys) {
      const c = cmp(x[k], y[k]);
      if (c !== 0) return sign * c;
    }
    return 0;
  });
}
