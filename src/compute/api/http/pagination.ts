import { BadRequestError } from '../../../common/errors.js';
import type { QueryParams } from '../routing/query-params.js';

/** Python's `int(text)` for query values: optional sign and surrounding spaces; else undefined. */
export function pyInt(text: string): number | undefined {
  return /^\s*[-+]?\d+\s*$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

/**
 * Upstream's get_limit_and_marker: `limit` is capped at `[api] max_limit` (and defaults to it),
 * must be a non-negative integer, and `marker` is passed on as given.
 */
export function limitAndMarker(
  query: QueryParams,
  maxLimit: number,
): { limit: number; marker: string | undefined } {
  let limit = maxLimit;
  const raw = query.get('limit');
  if (raw !== undefined) {
    const n = pyInt(raw);
    if (n === undefined) throw new BadRequestError('limit must be an integer');
    if (n < 0) throw new BadRequestError('limit must be >= 0');
    limit = Math.min(maxLimit, n);
  }
  return { limit, marker: query.get('marker') };
}

/** Upstream's `common.limited`: an offset/limit slice, limit capped at max_limit. */
export function limited<T>(items: readonly T[], query: QueryParams, maxLimit: number): T[] {
  const read = (name: string): number => {
    const raw = query.get(name);
    if (raw === undefined) return 0;
    const n = pyInt(raw);
    if (n === undefined) throw new BadRequestError(`${name} must be an integer`);
    if (n < 0) throw new BadRequestError(`${name} must be >= 0`);
    return n;
  };
  const offset = read('offset');
  const limit = Math.min(maxLimit, read('limit') || maxLimit);
  return items.slice(offset, offset + limit);
}
