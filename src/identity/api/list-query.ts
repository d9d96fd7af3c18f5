import type { FastifyRequest } from 'fastify';
import { badRequest, markerNotFound } from '../identity-errors.js';
import { baseUrl, requestUrl } from './links.js';

/** One list filter, as keystone's driver hints hold it. */
export interface ListFilter {
  name: string;
  value: string;
  comparator: 'equals' | 'contains' | 'startswith' | 'endswith';
  caseSensitive: boolean;
}

/** Filters, page size and marker of a list request (keystone's Hints). */
export interface ListHints {
  filters: ListFilter[];
  limit?: number;
  marker?: string;
}

/** The query string as a flat map; a repeated key keeps its last value. */
export function queryOf(req: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    const value = Array.isArray(v) ? v.at(-1) : v;
    if (typeof value === 'string') out[k] = value;
  }
  return out;
}

/** keystone's query_filter_is_true: present and not `0` (so `?effective` alone is true). */
export function queryFlag(req: FastifyRequest, name: string): boolean {
  const q = queryOf(req);
  return name in q && q[name] !== '0';
}

const COMPARATORS = ['contains', 'startswith', 'endswith'] as const;

/**
 * keystone's build_driver_hints: exact filters for supported keys, inexact ones as
 * `name__contains`, `name__icontains` (case-insensitive), `__startswith`, `__endswith`; then the
 * `marker` and `limit` of a page. Unknown keys are ignored, as upstream.
 */
export function listHints(req: FastifyRequest, supported: readonly string[]): ListHints {
  const hints: ListHints = { filters: [] };
  for (const [key, value] of Object.entries(queryOf(req))) {
    if (supported.includes(key)) {
      hints.filters.push({ name: key, value, comparator: 'equals', caseSensitive: true });
      continue;
    }
    const i = key.indexOf('__');
    if (i <= 0 || !supported.includes(key.slice(0, i))) continue;
    let comparator = key.slice(i + 2);
    let caseSensitive = true;
    if (comparator.startsWith('i')) {
      caseSensitive = false;
      comparator = comparator.slice(1);
    }
    if ((COMPARATORS as readonly string[]).includes(comparator)) {
      hints.filters.push({
        name: key.slice(0, i),
        value,
        comparator: comparator as ListFilter['comparator'],
        caseSensitive,
      });
    }
  }
  const q = queryOf(req);
  if (q.marker) hints.marker = q.marker;
  if (q.limit !== undefined) {
    if (!/^\d+$/.test(q.limit) || Number(q.limit) < 1) {
      throw badRequest(`Invalid input for field 'limit': '${q.limit}' is not a positive integer`);
    }
    hints.limit = Math.min(Number(q.limit), 1000);
  }
  return hints;
}

function flatten(obj: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      flatten(v as Record<string, unknown>, key, out);
    } else {
      out[key] = v;
    }
  }
  return out;
}

// oslo's bool_from_string with default=True, which keystone's attr_as_boolean uses.
function asBoolean(value: string): boolean {
  return !['false', '0', 'f', 'no', 'n', 'off'].includes(value.trim().toLowerCase());
}

function matches(ref: Record<string, unknown>, f: ListFilter): boolean {
  const flat = flatten(ref);
  const actual = flat[f.name];
  if (f.comparator === 'equals') {
    if (typeof actual === 'boolean') return actual === asBoolean(f.value);
    return actual === f.value;
  }
  if (typeof actual !== 'string') return false;
  const a = f.caseSensitive ? actual : actual.toLowerCase();
  const v = f.caseSensitive ? f.value : f.value.toLowerCase();
  if (f.comparator === 'contains') return a.includes(v);
  if (f.comparator === 'startswith') return a.startsWith(v);
  return a.endsWith(v);
}

/** Applies the filters to rendered resources (keystone's filter_by_attributes). */
export function applyFilters<T extends Record<string, unknown>>(refs: T[], hints: ListHints): T[] {
  return refs.filter((r) => hints.filters.every((f) => matches(r, f)));
}

/**
 * Wraps a rendered list as keystone's wrap_collection: filters applied, a page taken when a
 * limit or marker is given (ordered by id, after the marker, which must exist), and
 * `links: {self, previous, next}` with `next` only when the page is full, plus `truncated`.
 */
export function wrapCollection<T extends Record<string, unknown> & { id?: unknown }>(
  req: FastifyRequest,
  key: string,
  refs: T[],
  hints?: ListHints,
): Record<string, unknown> {
  let items = hints ? applyFilters(refs, hints) : refs;
  let truncated = false;
  if (hints && (hints.limit !== undefined || hints.marker !== undefined)) {
    items = [...items].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
    if (hints.marker !== undefined) {
      const at = items.findIndex((r) => r.id === hints.marker);
      if (at < 0) throw markerNotFound(hints.marker);
      items = items.slice(at + 1);
    }
    if (hints.limit !== undefined && items.length >= hints.limit) {
      // keystone cannot tell whether more follow a full page, so a full page is "truncated".
      truncated = true;
      items = items.slice(0, hints.limit);
    }
  }
  const links: Record<string, string | null> = {
    next: null,
    self: requestUrl(req),
    previous: null,
  };
  if (truncated && items.length > 0 && hints?.limit !== undefined) {
    const params = new URLSearchParams(queryOf(req));
    params.set('marker', String(items.at(-1)!.id));
    params.set('limit', String(hints.limit));
    const path = req.url.split('?')[0]!.replace(/^\/v3/, '');
    links.next = `${baseUrl(req)}${path}?${params.toString()}`;
  }
  const out: Record<string, unknown> = { [key]: items, links };
  if (truncated) out.truncated = true;
  return out;
}
