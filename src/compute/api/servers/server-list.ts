import { BadRequestError, ForbiddenError } from '../../../common/errors.js';
import { toDbTimestamp } from '../../../platform/db/timestamps.js';
import {
  listInstances,
  type InstanceListing,
  type SortColumn,
  type SortDirection,
} from '../../db/instance-listing.js';
import type { InstanceRow } from '../../db/instance-store.js';
import { ipFilter } from '../../network-info.js';
import { vmStatesForStatus } from '../../vm-states.js';
import { limitAndMarker } from '../http/pagination.js';
import { parseBool } from '../routes/parse-bool.js';
import type { ApiCall } from '../routing/route-spec.js';
import { idFromHref } from './create-inputs.js';
import { IGNORED_SORT_KEYS, SORT_KEYS } from './server-list-query.js';
import { ServerPolicy } from './server-policies.js';
import { cellDb } from './server-reads.js';
import type { ServersBackend } from './servers-backend.js';

/** Filters any caller may use (upstream's user search options, with the 2.83 additions). */
const USER_FILTERS = new Set([
  'reservation_id',
  'name',
  'status',
  'image',
  'flavor',
  'ip',
  'changes-since',
  'all_tenants',
  'ip6',
  'tags',
  'tags-any',
  'not-tags',
  'not-tags-any',
  'changes-before',
  'locked',
  'availability_zone',
  'config_drive',
  'key_name',
  'created_at',
  'launched_at',
  'terminated_at',
  'power_state',
  'task_state',
  'vm_state',
  'progress',
  'user_id',
]);

/** Filters matched exactly; the other column filters are regular expressions (re.search). */
const EXACT: Record<string, keyof InstanceRow> = {
  project_id: 'project_id',
  tenant_id: 'project_id',
  user_id: 'user_id',
  image: 'image_ref',
  image_ref: 'image_ref',
  vm_state: 'vm_state',
  uuid: 'uuid',
  host: 'host',
  task_state: 'task_state',
};
const REGEX: Record<string, keyof InstanceRow> = {
  launch_index: 'launch_index',
  hostname: 'hostname',
  key_name: 'key_name',
  power_state: 'power_state',
  node: 'node',
  flavor: 'flavor_id',
  reservation_id: 'reservation_id',
  launched_at: 'launched_at',
  terminated_at: 'terminated_at',
  availability_zone: 'availability_zone',
  name: 'display_name',
  display_name: 'display_name',
  description: 'display_description',
  display_description: 'display_description',
  locked_by: 'locked_by',
  root_device_name: 'root_device_name',
  config_drive: 'config_drive',
  access_ip_v4: 'access_ip_v4',
  access_ip_v6: 'access_ip_v6',
  progress: 'progress',
  created_at: 'created_at',
};

function isoParam(call: ApiCall, name: string): string | undefined {
  const raw = call.query.get(name);
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new BadRequestError(`Invalid filter field: ${name}.`);
  return toDbTimestamp(t);
}

function tagList(call: ApiCall, name: string): string[] | undefined {
  const raw = call.query.get(name);
  return raw === undefined
    ? undefined
    : raw
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
}

/**
 * The servers a listing returns, as upstream's get_all: the caller's project (all projects
 * with `all_tenants` and its policy), filters (admin-only ones dropped for others), deleted
 * rows when asked or with changes-since/before, sorted, then paged by marker and limit.
 */
export async function listServers<C extends SortColumn>(
  backend: ServersBackend,
  call: ApiCall,
  detail: boolean,
  /** The columns the caller renders from. */
  columns: readonly C[],
): Promise<Pick<InstanceRow, C>[]> {
  const ctx = call.context;
  const v = call.version;
  call.authorize(detail ? ServerPolicy.detail : ServerPolicy.index, { project_id: ctx.projectId });
  const allFilters = call.can(ServerPolicy.allowAllFilters, { project_id: ctx.projectId });
  const q = new Map<string, string>();
  for (const [k, val] of call.query.entries()) {
    if (k === 'limit' || k === 'marker' || k === 'sort_key' || k === 'sort_dir') continue;
    if (allFilters || USER_FILTERS.has(k)) q.set(k, val);
  }
  let allTenants = false;
  if (q.has('all_tenants')) {
    const raw = q.get('all_tenants')!;
    // Nova: a bare `all_tenants` means true.
    allTenants =
      raw === ''
        ? true
        : (parseBool(raw) ??
          (() => {
            throw new BadRequestError(`Invalid value '${raw}' for all_tenants`);
          })());
    if (allTenants) {
      const rule = detail ? ServerPolicy.detailAllTenants : ServerPolicy.indexAllTenants;
      if (!call.can(rule, { project_id: ctx.projectId })) {
        throw new ForbiddenError(`Policy doesn't allow ${rule} to be performed.`);
      }
    }
  }
  const pid = q.get('project_id') ?? q.get('tenant_id');
  q.delete('project_id');
  q.delete('tenant_id');

  const since = isoParam(call, 'changes-since');
  const before = v.atLeast('2.66') ? isoParam(call, 'changes-before') : undefined;
  if (since && before && since > before) {
    throw new BadRequestError(
      'The value of changes-since must be less than or equal to changes-before.',
    );
  }
  const deletedRaw = q.get('deleted');
  const deletedParam = deletedRaw === undefined ? undefined : parseBool(deletedRaw);
  const equals: Partial<Record<SortColumn, string>> = {};
  for (const [param, col] of Object.entries(EXACT)) {
    const val = q.get(param);
    if (val === undefined || param === 'project_id' || param === 'tenant_id') continue;
    equals[col] = param === 'image' ? idFromHref(val) : val;
  }
  const status = q.get('status');
  let locked: boolean | undefined;
  if (v.atLeast('2.73') && q.has('locked')) {
    locked = parseBool(q.get('locked'));
    if (locked === undefined)
      throw new BadRequestError(
        `Unrecognized value '${q.get('locked')}', acceptable values are 'true' or 'false'`,
      );
  }
  const { limit, marker } = limitAndMarker(call.query, backend.config.api.max_limit);
  const keep = rowFilters(backend, call, q);
  const listing: InstanceListing = {
    projectId: !allTenants ? (ctx.projectId ?? '') : pid,
    // changes-since/before list deleted servers too, so clients see what went away.
    deleted: deletedParam === true ? true : since || before ? 'any' : false,
    updatedSince: since,
    updatedBefore: before,
    equals,
    // Nova: an unknown status lists nothing rather than failing.
    states: status === undefined ? undefined : vmStatesForStatus(status.toUpperCase()),
    locked,
    sort: sortKeys(call),
    marker,
    limit,
    keep,
  };
  return listInstances(backend.cellDb, listing, columns);
}

/**
 * The filters that run on rows after SQL: upstream's regular-expression column filters
 * (Python's re.search, which SQL dialects do not share), addresses (`ip`, `ip6`) and tag sets.
 */
function rowFilters(
  backend: ServersBackend,
  call: ApiCall,
  q: Map<string, string>,
): InstanceListing['keep'] {
  const regexes: [keyof InstanceRow, RegExp][] = [];
  for (const [param, col] of Object.entries(REGEX)) {
    const val = q.get(param);
    if (val !== undefined) regexes.push([col, new RegExp(val, 'u')]);
  }
  const byAddress = ipFilter(q.get('ip'), q.get('ip6'));
  const tags = call.version.atLeast('2.26') ? tagFilters(call) : undefined;
  if (!regexes.length && !byAddress && !tags) return undefined;
  return async (rows) => {
    let out = rows.filter(
      (r) =>
        regexes.every(([col, re]) => r[col] !== null && re.test(String(r[col]))) &&
        (!byAddress || byAddress(r.network_info)),
    );
    if (tags) out = await filterByTags(backend, tags, out);
    return out;
  };
}

interface TagFilters {
  all: string[] | undefined;
  any: string[] | undefined;
  notAll: string[] | undefined;
  notAny: string[] | undefined;
}

function tagFilters(call: ApiCall): TagFilters | undefined {
  const f: TagFilters = {
    all: tagList(call, 'tags'),
    any: tagList(call, 'tags-any'),
    notAll: tagList(call, 'not-tags'),
    notAny: tagList(call, 'not-tags-any'),
  };
  return f.all || f.any || f.notAll || f.notAny ? f : undefined;
}

async function filterByTags(
  backend: ServersBackend,
  f: TagFilters,
  rows: InstanceRow[],
): Promise<InstanceRow[]> {
  if (!rows.length) return rows;
  const tagRows = await cellDb(backend.cellDb)
    .selectFrom('tags')
    .select(['resource_id', 'tag'])
    .where(
      'resource_id',
      'in',
      rows.map((r) => r.uuid),
    )
    .execute();
  const byId = new Map<string, Set<string>>();
  for (const t of tagRows)
    (byId.get(t.resource_id) ?? byId.set(t.resource_id, new Set()).get(t.resource_id)!).add(t.tag);
  return rows.filter((r) => {
    const has = byId.get(r.uuid) ?? new Set<string>();
    if (f.all && !f.all.every((t) => has.has(t))) return false;
    if (f.any && !f.any.some((t) => has.has(t))) return false;
    if (f.notAll && f.notAll.every((t) => has.has(t))) return false;
    if (f.notAny && f.notAny.some((t) => has.has(t))) return false;
    return true;
  });
}

/** Columns of the instances table a listing can be sorted by. */
const SORTABLE = new Set<SortColumn>(SORT_KEYS.map((k) => columnOf(k)).filter(isColumn));

function columnOf(key: string): string {
  return key === 'instance_type_id' ? 'flavor_id' : key === 'locked' ? 'locked_by' : key;
}

function isColumn(col: string): col is SortColumn {
  // Upstream's sort keys for columns Stratus does not have (kernel_id, ramdisk_id,
  // auto_disk_config) order nothing here: every row has the same (absent) value.
  return !['kernel_id', 'ramdisk_id', 'auto_disk_config'].includes(col);
}

function sortKeys(call: ApiCall): [SortColumn, SortDirection][] {
  const keys = call.query.all('sort_key');
  const dirs = call.query.all('sort_dir');
  for (const d of dirs)
    if (d !== 'asc' && d !== 'desc')
      throw new BadRequestError(`Unknown sort direction, must be 'desc' or 'asc'`);
  const ignored = new Set(
    call.version.atLeast('2.73')
      ? IGNORED_SORT_KEYS.filter((k) => k !== 'locked')
      : IGNORED_SORT_KEYS,
  );
  const pairs: [SortColumn, SortDirection][] = [];
  keys.forEach((k, i) => {
    const col = columnOf(k);
    if (ignored.has(k) || !SORTABLE.has(col as SortColumn)) return;
    pairs.push([col as SortColumn, (dirs[i] ?? dirs[0] ?? 'desc') as SortDirection]);
  });
  // Nova's defaults: newest first, then by id.
  if (!pairs.length) pairs.push(['created_at', 'desc']);
  return pairs;
}
