import type { Kysely } from 'kysely';
import { isAdmin } from '../../../platform/auth/request-context.js';
import type { ApiDatabase } from '../../api-db-tables.js';
import type { ApiCall } from '../routing/route-spec.js';
import { ServerPolicy } from './server-policies.js';
import type { InstanceRow } from '../../db/instance-store.js';
import { instancesByUuid, loadRecords } from './server-reads.js';
import type { ServerRecord } from './server-record.js';
import { serverView, type ServerViewSource } from './server-view.js';
import type { ServersBackend } from './servers-backend.js';
import { COMPUTE_BINARY } from '../../service-binaries.js';

/**
 * Nova's get_instance_host_status: '' with no host, DOWN when forced down, MAINTENANCE when
 * disabled, UP with a recent heartbeat, else UNKNOWN.
 */
async function hostStatuses(
  backend: ServersBackend,
  rows: readonly Pick<InstanceRow, 'uuid' | 'host'>[],
): Promise<Map<string, string>> {
  const services = await backend.services.hostStates(COMPUTE_BINARY);
  const out = new Map<string, string>();
  for (const row of rows) {
    if (!row.host) {
      out.set(row.uuid, '');
      continue;
    }
    const svc = services.get(row.host);
    out.set(
      row.uuid,
      !svc
        ? 'UNKNOWN'
        : svc.forcedDown
          ? 'DOWN'
          : svc.disabled
            ? 'MAINTENANCE'
            : svc.up
              ? 'UP'
              : 'UNKNOWN',
    );
  }
  return out;
}

/** The server groups (uuids) each instance belongs to (2.71). */
async function serverGroups(backend: ServersBackend, uuid: string): Promise<string[]> {
  const db = backend.apiDb.kysely as Kysely<ApiDatabase>;
  const rows = await db
    .selectFrom('instance_group_member')
    .innerJoin('instance_groups', 'instance_groups.id', 'instance_group_member.group_id')
    .select('instance_groups.uuid')
    .where('instance_group_member.instance_uuid', '=', uuid)
    .execute();
  return rows.map((r) => r.uuid);
}

/** How a set of servers is rendered for this caller. */
export interface RenderOptions {
  /** Show forms (GET /servers/{id}, PUT) add server_groups at 2.71. */
  single: boolean;
}

/** What the caller may see of one server, by the policies on its project. */
interface RowView {
  extended: boolean;
  extraSpecs: boolean;
  hostStatus: string | undefined;
}

/** The view of each row; policies are checked once per project, not once per server. */
async function rowViews(
  backend: ServersBackend,
  call: ApiCall,
  rows: readonly Pick<InstanceRow, 'uuid' | 'host' | 'project_id'>[],
): Promise<RowView[]> {
  const v = call.version;
  const byProject = new Map<
    string,
    { extended: boolean; extraSpecs: boolean; hostStatus: boolean; unknownOnly: boolean }
  >();
  const policiesOf = (projectId: string) => {
    let p = byProject.get(projectId);
    if (!p) {
      const target = { project_id: projectId };
      const hostStatus = v.atLeast('2.16') && call.can(ServerPolicy.showHostStatus, target);
      p = {
        extended: call.can(ServerPolicy.extendedAttributes, target),
        extraSpecs: v.atLeast('2.47') && call.can(ServerPolicy.showFlavorExtraSpecs, target),
        hostStatus,
        unknownOnly:
          v.atLeast('2.16') &&
          !hostStatus &&
          call.can(ServerPolicy.showHostStatusUnknownOnly, target),
      };
      byProject.set(projectId, p);
    }
    return p;
  };
  const policies = rows.map((row) => policiesOf(row.project_id));
  const statuses = policies.some((p) => p.hostStatus || p.unknownOnly)
    ? await hostStatuses(backend, rows)
    : undefined;
  return rows.map((row, i) => {
    const p = policies[i]!;
    let hostStatus: string | undefined;
    if (statuses && p.hostStatus) hostStatus = statuses.get(row.uuid);
    else if (statuses && p.unknownOnly && statuses.get(row.uuid) === 'UNKNOWN') {
      hostStatus = 'UNKNOWN';
    }
    return { extended: p.extended, extraSpecs: p.extraSpecs, hostStatus };
  });
}

function viewSource(
  call: ApiCall,
  server: ServerRecord,
  view: RowView,
  serverGroups: string[] | undefined,
): ServerViewSource {
  return {
    server,
    links: call.links,
    isAdmin: isAdmin(call.context),
    extended: view.extended,
    extraSpecs: view.extraSpecs,
    hostStatus: view.hostStatus,
    serverGroups,
    showUserData: true,
  };
}

/** Renders full server bodies for the caller, with the fields the policies allow. */
export async function renderServers(
  backend: ServersBackend,
  call: ApiCall,
  records: ServerRecord[],
  opts: RenderOptions,
): Promise<Record<string, unknown>[]> {
  const views = await rowViews(
    backend,
    call,
    records.map((rec) => rec.row),
  );
  const out: Record<string, unknown>[] = [];
  for (const [i, rec] of records.entries()) {
    const groups =
      opts.single && call.version.atLeast('2.71')
        ? await serverGroups(backend, rec.row.uuid)
        : undefined;
    out.push(serverView.render(viewSource(call, rec, views[i]!, groups), call.version));
  }
  return out;
}

/** The columns renderServerTexts needs of each listed row. */
export const LISTED_COLUMNS = ['revision', 'project_id', 'host'] as const;

/**
 * The JSON (UTF-8) of each row's full body, from the rendered-server cache when the instance
 * has not changed since, else loaded, rendered and kept there. Server groups (show forms from
 * 2.71) are not in the revision, so they are read each time and are part of the key.
 */
export async function renderServerTexts(
  backend: ServersBackend,
  call: ApiCall,
  rows: readonly Pick<InstanceRow, (typeof LISTED_COLUMNS)[number] | 'uuid'>[],
  opts: RenderOptions = { single: false },
): Promise<Buffer[]> {
  const views = await rowViews(backend, call, rows);
  const withGroups = opts.single && call.version.atLeast('2.71');
  const groups = withGroups
    ? await Promise.all(rows.map((row) => serverGroups(backend, row.uuid)))
    : undefined;
  const callView = `${call.version.toString()}|${isAdmin(call.context)}|${call.links.root}`;
  // Rows of a page mostly share one view: one string each, so its hash is computed once.
  const interned = new Map<string, string>();
  const viewKeys = rows.map((_, i) => {
    const v = views[i]!;
    const g = groups ? groups[i]!.join(',') : '-';
    const own = `${v.extended}|${v.extraSpecs}|${v.hostStatus ?? '-'}|${g}`;
    let key = interned.get(own);
    if (key === undefined) interned.set(own, (key = `${callView}|${own}`));
    return key;
  });
  const texts = rows.map((row, i) =>
    backend.renderedServers.get(viewKeys[i]!, row.uuid, Number(row.revision)),
  );
  const missing = rows.filter((_, i) => texts[i] === undefined).map((r) => r.uuid);
  if (missing.length) {
    const records = new Map(
      (await loadRecords(backend.cellDb, await instancesByUuid(backend.cellDb, missing))).map(
        (rec) => [rec.row.uuid, rec],
      ),
    );
    rows.forEach((row, i) => {
      const rec = records.get(row.uuid);
      // Purged between the two reads: its last known body cannot be built, so it is left out.
      if (texts[i] !== undefined || !rec) return;
      const source = viewSource(call, rec, views[i]!, groups?.[i]);
      texts[i] = Buffer.from(JSON.stringify(serverView.render(source, call.version)));
      // Kept under the revision the listing saw; a body newer than that is still correct.
      backend.renderedServers.set(viewKeys[i]!, row.uuid, Number(row.revision), texts[i]);
    });
  }
  return texts.filter((t) => t !== undefined);
}
