import { BadRequestError, ForbiddenError } from '../../../common/errors.js';
import { toDbTimestamp } from '../../../platform/db/timestamps.js';
import type { InstanceRow } from '../../db/instance-store.js';
import { vmStatesForStatus } from '../../vm-states.js';
import { limitAndMarker } from '../http/pagination.js';
import { parseBool } from '../routes/parse-bool.js';
import type { ApiCall } from '../routing/route-spec.js';
import { idFromHref } from './create-inputs.js';
import { IGNORED_SORT_KEYS } from './server-list-query.js';
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
export async function listServers(
  backend: ServersBackend,
  call: ApiCall,
  detail: boolean,
): Promise<InstanceRow[]> {
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
  let db = cellDb(backend.cellDb).selectFrom('instances').selectAll();
  const pid = q.get('project_id') ?? q.get('tenant_id');
  if (!allTenants) db = db.where('project_id', '=', ctx.projectId ?? '');
  else if (pid !== undefined) db = db.where('project_id', '=', pid);
  q.delete('project_id');
  q.delete('tenant_id');

  const since = isoParam(call, 'changes-since');
  const before = v.atLeast('2.66') ? isoParam(call, 'changes-before') : undefined;
  if (since && before && since > before) {
    throw new BadRequestError(
      'The value of changes-since must be less than or equal to changes-before.',
    );
  }
  if (since) db = db.where('updated_at', '>=', since);
  if (before) db = db.where('updated_at', '<=', before);
  const deletedRaw = q.get('deleted');
  const deleted = deletedRaw === undefined ? undefined : parseBool(deletedRaw);
  if (deleted === true) db = db.where('deleted', '!=', 0);
  // changes-since/before list deleted servers too, so clients see what went away.
  else if (!since && !before) db = db.where('deleted', '=', 0);
  let rows = await db.execute();

  const status = q.get('status');
  if (status !== undefined) {
    const wanted = vmStatesForStatus(status.toUpperCase());
    // Nova: an unknown status lists nothing rather than failing.
    rows = rows.filter((r) =>
      wanted.some(
        (w) =>
          w.vmState === r.vm_state &&
          (w.taskStates === null ? true : w.taskStates.includes(r.task_state ?? '')),
      ),
    );
  }
  for (const [param, col] of Object.entries(EXACT)) {
    const val = q.get(param);
    if (val === undefined || param === 'project_id' || param === 'tenant_id') continue;
    const want = param === 'image' ? idFromHref(val) : val;
    rows = rows.filter((r) => String(r[col] ?? '') === want);
  }
  for (const [param, col] of Object.entries(REGEX)) {
    const val = q.get(param);
    if (val === undefined) continue;
    const re = new RegExp(val, 'u');
    rows = rows.filter((r) => r[col] !== null && re.test(String(r[col])));
  }
  if (q.has('ip') || q.has('ip6')) rows = []; // no server has addresses until networking lands
  if (v.atLeast('2.73') && q.has('locked')) {
    const locked = parseBool(q.get('locked'));
    if (locked === undefined)
      throw new BadRequestError(
        `Unrecognized value '${q.get('locked')}', acceptable values are 'true' or 'false'`,
      );
    rows = rows.filter((r) => Boolean(r.locked_by) === locked);
  }
  if (v.atLeast('2.26')) rows = await filterByTags(backend, call, rows);
  rows = sortRows(call, rows);
  return page(call, backend, rows);
}

async function filterByTags(
  backend: ServersBackend,
  call: ApiCall,
  rows: InstanceRow[],
): Promise<InstanceRow[]> {
  const all = tagList(call, 'tags');
  const any = tagList(call, 'tags-any');
  const notAll = tagList(call, 'not-tags');
  const notAny = tagList(call, 'not-tags-any');
  if (!all && !any && !notAll && !notAny) return rows;
  const tagRows = await cellDb(backend.cellDb).selectFrom('tags').selectAll().execute();
  const byId = new Map<string, Set<string>>();
  for (const t of tagRows)
    (byId.get(t.resource_id) ?? byId.set(t.resource_id, new Set()).get(t.resource_id)!).add(t.tag);
  return rows.filter((r) => {
    const has = byId.get(r.uuid) ?? new Set<string>();
    if (all && !all.every((t) => has.has(t))) return false;
    if (any && !any.some((t) => has.has(t))) return false;
    if (notAll && notAll.every((t) => has.has(t))) return false;
    if (notAny && notAny.some((t) => has.has(t))) return false;
    return true;
  });
}

function sortRows(call: ApiCall, rows: InstanceRow[]): InstanceRow[] {
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
  const pairs: [string, 'asc' | 'desc'][] = [];
  keys.forEach((k, i) => {
    if (ignored.has(k)) return;
    pairs.push([
      k === 'instance_type_id' ? 'flavor_id' : k === 'locked' ? 'locked_by' : k,
      (dirs[i] ?? dirs[0] ?? 'desc') as 'asc' | 'desc',
    ]);
  });
  // Nova's defaults: newest first, then by id.
  if (!pairs.length) pairs.push(['created_at', 'desc']);
  const lastDir = pairs[0]![1];
  pairs.push(['id', lastDir]);
  return [...rows].sort((a, b) => {
    for (const [k, dir] of pairs) {
      const x = (a as Record<string, unknown>)[k];
      const y = (b as Record<string, unknown>)[k];
      if (x === y) continue;
      // NULLs sort first ascending, as on MySQL upstream.
      const c =
        x === null || x === undefined ? -1 : y === null || y === undefined ? 1 : x < y ? -1 : 1;
      return dir === 'asc' ? c : -c;
    }
    return 0;
  });
}

function page(call: ApiCall, backend: ServersBackend, rows: InstanceRow[]): InstanceRow[] {
  const { limit, marker } = limitAndMarker(call.query, backend.config.api.max_limit);
  let start = 0;
  if (marker !== undefined) {
    const i = rows.findIndex((r) => r.uuid === marker);
    if (i < 0) throw new BadRequestError(`marker [${marker}] not found`);
    start = i + 1;
  }
  return rows.slice(start, start + limit);
}
