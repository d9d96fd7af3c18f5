import { toDbTimestamp } from '../../platform/db/timestamps.js';
import type { ColumnFilter, FilterOp, SortKey } from '../db/image-list-query.js';
import { SORT_KEYS } from '../db/image-list-query.js';
import { badRequest } from '../domain/glance-error.js';
import { VISIBILITIES, type Visibility } from '../domain/image.js';
import type { ListImagesRequest } from '../service/image-service.js';

/** The query string as ordered pairs (repeats kept), decoded as WebOb does. */
export function queryPairs(url: string): [string, string][] {
  const q = url.indexOf('?');
  return q < 0 ? [] : [...new URLSearchParams(url.slice(q + 1)).entries()];
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Parses an ISO 8601 time as oslo's parse_isotime (no zone means UTC); undefined if invalid. */
export function parseIsoTime(text: string): Date | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const tz =
    zone.toUpperCase() === 'Z'
      ? 'Z'
      : zone.length === 3
        ? `${zone}:00`
        : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = frac ? frac.slice(0, 4).padEnd(4, '0') : '.000';
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${tz}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Glance's split_filter_op: `op:value`, unless the whole thing is a time (then `eq`). */
function splitFilterOp(expression: string): [string, string] {
  const i = expression.indexOf(':');
  if (i < 0) return ['eq', expression];
  if (parseIsoTime(expression)) return ['eq', expression];
  return [expression.slice(0, i), expression.slice(i + 1)];
}

/** Glance's split of an `in:` list: commas, with double quotes around values holding commas. */
function splitInValues(value: string): string[] {
  let open = true;
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '"' || (i > 0 && value[i - 1] === '\\')) continue;
    if (open && i > 0 && value[i - 1] !== ',') {
      throw badRequest(
        `Invalid filter value ${value}. There is no comma before opening quotation mark.`,
      );
    }
    if (!open && i + 1 !== value.length && value[i + 1] !== ',') {
      throw badRequest(
        `Invalid filter value ${value}. There is no comma after closing quotation mark.`,
      );
    }
    open = !open;
  }
  if (!open) throw badRequest(`Invalid filter value ${value}. The quote is not closed.`);
  const out: string[] = [];
  for (const m of value.matchAll(/"([^"\\]*(?:\\.[^"\\]*)*)",?|([^,]+),?|,/g))
    out.push(m[1] ?? m[2] ?? '');
  return out;
}

const TIME_OPS: readonly string[] = ['gt', 'gte', 'lt', 'lte', 'neq', 'eq'];
const OP_COLUMNS = ['name', 'id', 'status', 'container_format', 'disk_format'];
const RANGE_COLUMNS = ['size', 'virtual_size', 'min_disk', 'min_ram'];
/** Other `images` columns a filter compares for equality; any other key is a property. */
const EQ_COLUMNS = [
  'owner',
  'os_hash_algo',
  'os_hidden',
  'size',
  'virtual_size',
  'min_disk',
  'min_ram',
];

function sortKey(key: string): SortKey {
  if (!(SORT_KEYS as readonly string[]).includes(key)) {
    throw badRequest(
      `Invalid sort key: ${key}. It must be one of the following: ${SORT_KEYS.join(', ')}.`,
    );
  }
  return key as SortKey;
}

function sortDir(dir: string): 'asc' | 'desc' {
  if (dir !== 'asc' && dir !== 'desc') throw badRequest(`Invalid sort direction: ${dir}`);
  return dir;
}

function bool(name: string, value: string, lower: boolean): boolean {
  const v = lower ? value.toLowerCase() : value;
  if (v !== 'true' && v !== 'false') {
    throw badRequest(
      `Invalid value '${value}' for '${name}' filter. Valid values are 'true' or 'false'.`,
    );
  }
  return v === 'true';
}

/**
 * Turns GET /v2/images query parameters into a list request with Glance's validation and
 * messages: limit, marker, member_status, tag (repeatable), visibility, sort (both syntaxes),
 * os_hidden, protected, `*_min`/`*_max` ranges, created_at/updated_at with comparison
 * operators, `in:` lists on name, id, status and formats, other columns by equality and any
 * other key as an additional property.
 */
export function parseListParams(pairs: [string, string][]): ListImagesRequest {
  const rest = new Map<string, string>();
  const tags: string[] = [];
  const sortKeys: string[] = [];
  const sortDirs: string[] = [];
  for (const [k, v] of pairs) {
    if (k === 'tag') tags.push(v.trim());
    else if (k === 'sort_key') sortKeys.push(v.trim());
    else if (k === 'sort_dir') sortDirs.push(v.trim());
    else rest.set(k, v);
  }
  const take = (k: string) => {
    const v = rest.get(k);
    rest.delete(k);
    return v;
  };
  const req: ListImagesRequest = {
    memberStatus: 'accepted',
    osHidden: false,
    columns: [],
    properties: [],
    tags,
    sortKeys: [],
    sortDirs: [],
  };
  const limit = take('limit');
  if (limit !== undefined) {
    if (!/^\s*[-+]?\d+\s*$/.test(limit)) throw badRequest('limit param must be an integer');
    req.limit = Number.parseInt(limit, 10);
    if (req.limit < 0) throw badRequest('limit param must be positive');
  }
  const marker = take('marker');
  if (marker !== undefined) req.marker = marker;
  const memberStatus = take('member_status') ?? 'accepted';
  if (!['pending', 'accepted', 'rejected', 'all'].includes(memberStatus)) {
    throw badRequest(`Invalid status: ${memberStatus}`);
  }
  req.memberStatus = memberStatus as ListImagesRequest['memberStatus'];
  const visibility = take('visibility');
  if (visibility) {
    if (![...VISIBILITIES, 'all'].includes(visibility)) {
      throw badRequest(`Invalid visibility value: ${visibility}`);
    }
    req.visibility = visibility as Visibility | 'all';
  }
  if (rest.get('changes-since')) {
    throw badRequest('The "changes-since" filter is no longer available on v2.');
  }
  const sort = take('sort');
  if (sort !== undefined) {
    if (sortKeys.length > 0 || sortDirs.length > 0) {
      throw badRequest('Old and new sorting syntax cannot be combined');
    }
    for (const part of sort.trim().split(',')) {
      const i = part.indexOf(':');
      const key = i < 0 ? part : part.slice(0, i);
      const dir = i < 0 || part.slice(i + 1) === '' ? 'desc' : part.slice(i + 1);
      req.sortKeys.push(sortKey(key.trim()));
      req.sortDirs.push(sortDir(dir.trim()));
    }
  } else {
    req.sortKeys = sortKeys.map(sortKey);
    req.sortDirs = sortDirs.map(sortDir);
    if (req.sortDirs.length > 1 && req.sortDirs.length !== req.sortKeys.length) {
      throw badRequest('Number of sort dirs does not match the number of sort keys');
    }
  }
  if (req.sortKeys.length === 0) req.sortKeys = ['created_at'];
  if (req.sortDirs.length === 0) req.sortDirs = ['desc'];
  req.osHidden = bool('os_hidden', take('os_hidden') ?? 'false', true);
  const prot = take('protected');
  if (prot !== undefined)
    req.columns.push({ column: 'protected', op: 'eq', value: bool('protected', prot, false) });
  for (const [k, v] of rest) req.columns.push(...filterFor(k, v, req));
  return req;
}

function filterFor(k: string, v: string, req: ListImagesRequest): ColumnFilter[] {
  if (k === 'checksum' || k === 'os_hash_value') return [{ column: k, op: 'eq', value: v }];
  if (k.endsWith('_min') || k.endsWith('_max')) {
    const column = k.slice(0, -4);
    if (!/^\s*[-+]?\d+\s*$/.test(v) || !RANGE_COLUMNS.includes(column)) {
      throw badRequest('Unable to filter on a range with a non-numeric value.');
    }
    return [{ column, op: k.endsWith('_min') ? 'gte' : 'lte', value: Number.parseInt(v, 10) }];
  }
  if (k === 'created_at' || k === 'updated_at') {
    const [op, time] = splitFilterOp(v);
    const parsed = parseIsoTime(time);
    if (!parsed)
      throw badRequest(`Bad "${k}" query filter format. Use ISO 8601 DateTime notation.`);
    if (!TIME_OPS.includes(op)) throw badRequest('Unable to filter on a unknown operator.');
    return [{ column: k, op: op as FilterOp, value: toDbTimestamp(parsed) }];
  }
  if (OP_COLUMNS.includes(k)) {
    const [op, value] = splitFilterOp(v);
    if (op === 'in') return [{ column: k, op: 'in', value: splitInValues(value) }];
    if (op === 'eq') return [{ column: k, op: 'eq', value }];
    throw badRequest(`Unable to filter by unknown operator '${op}'.`);
  }
  if (EQ_COLUMNS.includes(k)) {
    if (k !== 'owner' && k !== 'os_hash_algo') {
      // Integer and boolean columns compare as numbers; anything else matches nothing.
      if (k === 'os_hidden') return [{ column: k, op: 'eq', value: v.toLowerCase() === 'true' }];
      if (!/^\s*[-+]?\d+\s*$/.test(v)) return [{ column: 'id', op: 'in', value: [] }];
      return [{ column: k, op: 'eq', value: Number.parseInt(v, 10) }];
    }
    return [{ column: k, op: 'eq', value: v }];
  }
  req.properties.push({ name: k, value: v });
  return [];
}

/** Python's urllib.parse.quote_plus, for Glance's `first` and `next` links. */
function quotePlus(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9_.~-]/.test(c)) return c;
      if (c === ' ') return '+';
      return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/**
 * The query string of a `first` or `next` link: Glance turns the request's parameters into a
 * dict (each key once, its last value) and drops or replaces the marker.
 */
export function linkQuery(pairs: [string, string][], marker?: string): string {
  const params = new Map<string, string>();
  for (const [k, v] of pairs) params.set(k, v);
  if (marker === undefined) params.delete('marker');
  else params.set('marker', marker);
  return [...params].map(([k, v]) => `${quotePlus(k)}=${quotePlus(v)}`).join('&');
}
