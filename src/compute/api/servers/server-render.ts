import type { Kysely } from 'kysely';
import { isAdmin } from '../../../platform/auth/request-context.js';
import type { ApiDatabase } from '../../api-db-tables.js';
import type { ApiCall } from '../routing/route-spec.js';
import { ServerPolicy } from './server-policies.js';
import type { InstanceRow } from '../../db/instance-store.js';
import { instancesById, loadRecords } from './server-reads.js';
import type { ServerRecord } from './server-record.js';
import { serverView, type ServerViewSource } from './server-view.js';
import type { ServersBackend } from './servers-backend.js';
import { COMPUTE_BINARY } from '../../service-binaries.js';
import type { InstanceFacts } from './rendered-server-cache.js';

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
export const LISTED_COLUMNS = ['id', 'revision'] as const;

/** A server's body as JSON (UTF-8), with its uuid for the links around it. */
export interface ServerText {
  uuid: string;
  text: Buffer;
}

/**
 * The facts (uuid, project, host) of each row at its revision, from the cache or else read with
 * the whole row, which is returned too since a changed instance is about to be rendered.
 * Rows purged since the listing read them are undefined.
 */
async function factsOf(
  backend: ServersBackend,
  rows: readonly Pick<InstanceRow, (typeof LISTED_COLUMNS)[number]>[],
): Promise<{ facts: (InstanceFacts | undefined)[]; loaded: Map<number, InstanceRow> }> {
  const cache = backend.renderedServers;
  const facts = rows.map((row) => cache.facts(row.id, Number(row.revision)));
  const loaded = new Map<number, InstanceRow>();
  const missing = rows.filter((_, i) => facts[i] === undefined).map((row) => row.id);
  if (missing.length) {
    for (const row of await instancesById(backend.cellDb, missing)) {
      loaded.set(row.id, row);
      cache.setFacts({
        id: row.id,
        revision: Number(row.revision),
        uuid: row.uuid,
        project_id: row.project_id,
        host: row.host,
      });
    }
    rows.forEach((row, i) => {
      const full = loaded.get(row.id);
      if (facts[i] === undefined && full) {
        facts[i] = {
          id: full.id,
          revision: Number(full.revision),
          uuid: full.uuid,
          project_id: full.project_id,
          host: full.host,
        };
      }
    });
  }
  return { facts, loaded };
}

/**
 * The JSON (UTF-8) of each row's full body, from the rendered-server cache when the instance
 * has not changed since, else loaded, rendered and kept there. Server groups (show forms from
 * 2.71) are not in the revision, so they are read each time and are part of the key.
 */
export async function renderServerTexts(
  backend: ServersBackend,
  call: ApiCall,
  listed: readonly Pick<InstanceRow, (typeof LISTED_COLUMNS)[number]>[],
  opts: RenderOptions = { single: false },
): Promise<ServerText[]> {
  const { facts, loaded } = await factsOf(backend, listed);
  const rows = facts.filter((f) => f !== undefined);
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
  const cache = backend.renderedServers;
  const texts = rows.map((row, i) => cache.get(viewKeys[i]!, row.uuid, row.revision));
  const unrendered = rows.filter((row, i) => texts[i] === undefined && !loaded.has(row.id));
  for (const row of await instancesById(
    backend.cellDb,
    unrendered.map((r) => r.id),
  )) {
    loaded.set(row.id, row);
  }
  const toRender = rows.filter((_, i) => texts[i] === undefined).map((r) => loaded.get(r.id));
  if (toRender.length) {
    const records = new Map(
      (
        await loadRecords(
          backend.cellDb,
          toRender.filter((r) => r !== undefined),
        )
      ).map((rec) => [rec.row.id, rec]),
    );
    rows.forEach((row, i) => {
      const rec = records.get(row.id);
      // Purged between the two reads: its last known body cannot be built, so it is left out.
      if (texts[i] !== undefined || !rec) return;
      const source = viewSource(call, rec, views[i]!, groups?.[i]);
      texts[i] = Buffer.from(JSON.stringify(serverView.render(source, call.version)));
      // Kept under the revision the listing saw; a body newer than that is still correct.
      cache.set(viewKeys[i]!, row.uuid, row.revision, texts[i]);
    });
  }
  const out: ServerText[] = [];
  rows.forEach((row, i) => {
    if (texts[i] !== undefined) out.push({ uuid: row.uuid, text: texts[i] });
  });
  return out;
}
