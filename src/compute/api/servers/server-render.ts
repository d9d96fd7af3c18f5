import type { Kysely } from 'kysely';
import { queryTemplates } from '../../../platform/db/query-templates.js';
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
 * Nova's get_instance_host_status for each compute host: '' with no host, DOWN when forced
 * down, MAINTENANCE when disabled, UP with a recent heartbeat, else UNKNOWN.
 */
async function hostStatusOf(backend: ServersBackend): Promise<(host: string | null) => string> {
  const services = await backend.services.hostStates(COMPUTE_BINARY);
  return (host) => {
    if (!host) return '';
    const svc = services.get(host);
    return !svc
      ? 'UNKNOWN'
      : svc.forcedDown
        ? 'DOWN'
        : svc.disabled
          ? 'MAINTENANCE'
          : svc.up
            ? 'UP'
            : 'UNKNOWN';
  };
}

/** The server groups (uuids) each instance belongs to (2.71). */
async function serverGroups(backend: ServersBackend, uuid: string): Promise<string[]> {
  const db = backend.apiDb.kysely as Kysely<ApiDatabase>;
  // Read on every show from 2.71, which clients poll: the query is built once.
  const rows = await queryTemplates(db).execute(
    'servers.groups',
    (slot) =>
      db
        .selectFrom('instance_group_member')
        .innerJoin('instance_groups', 'instance_groups.id', 'instance_group_member.group_id')
        .select('instance_groups.uuid')
        .where('instance_group_member.instance_uuid', '=', slot('uuid')),
    { uuid },
  );
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
  /** Names the view in the rendered-server cache, with the call's version, role and URL. */
  key: string;
}

/**
 * The view of each row. A view depends on the row's project (policies) and host (its status)
 * only, unless server groups are shown, so it is worked out once per project and host.
 */
async function rowViews(
  backend: ServersBackend,
  call: ApiCall,
  rows: readonly Pick<InstanceRow, 'host' | 'project_id'>[],
  groups?: readonly string[][],
): Promise<RowView[]> {
  const v = call.version;
  const callView = `${v.toString()}|${isAdmin(call.context)}|${call.links.root}`;
  let statusOf: ((host: string | null) => string) | undefined;
  const policiesOf = (projectId: string) => {
    const target = { project_id: projectId };
    const hostStatus = v.atLeast('2.16') && call.can(ServerPolicy.showHostStatus, target);
    return {
      extended: call.can(ServerPolicy.extendedAttributes, target),
      extraSpecs: v.atLeast('2.47') && call.can(ServerPolicy.showFlavorExtraSpecs, target),
      hostStatus,
      unknownOnly:
        v.atLeast('2.16') &&
        !hostStatus &&
        call.can(ServerPolicy.showHostStatusUnknownOnly, target),
    };
  };
  const byProject = new Map<
    string,
    { policies: ReturnType<typeof policiesOf>; byHost: Map<string | null, RowView> }
  >();
  const out: RowView[] = [];
  for (const [i, row] of rows.entries()) {
    let project = byProject.get(row.project_id);
    if (!project) {
      project = { policies: policiesOf(row.project_id), byHost: new Map() };
      byProject.set(row.project_id, project);
    }
    let view = groups ? undefined : project.byHost.get(row.host);
    if (!view) {
      const p = project.policies;
      let hostStatus: string | undefined;
      if (p.hostStatus || p.unknownOnly) {
        statusOf ??= await hostStatusOf(backend);
        const status = statusOf(row.host);
        if (p.hostStatus || status === 'UNKNOWN') hostStatus = status;
      }
      const g = groups ? groups[i]!.join(',') : '-';
      view = {
        extended: p.extended,
        extraSpecs: p.extraSpecs,
        hostStatus,
        key: `${callView}|${p.extended}|${p.extraSpecs}|${hostStatus ?? '-'}|${g}`,
      };
      if (!groups) project.byHost.set(row.host, view);
    }
    out.push(view);
  }
  return out;
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

function factsFromRow(row: InstanceRow): InstanceFacts {
  const { id, uuid, project_id, host } = row;
  return { id, revision: Number(row.revision), uuid, project_id, host };
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
      cache.setFacts(factsFromRow(row));
    }
    rows.forEach((row, i) => {
      const full = loaded.get(row.id);
      if (facts[i] === undefined && full) facts[i] = factsFromRow(full);
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
  const withGroups = opts.single && call.version.atLeast('2.71');
  const groups = withGroups
    ? await Promise.all(rows.map((row) => serverGroups(backend, row.uuid)))
    : undefined;
  const views = await rowViews(backend, call, rows, groups);
  const cache = backend.renderedServers;
  const texts = rows.map((row, i) => cache.get(views[i]!.key, row.uuid, row.revision));
  const toRender = rows.filter((_, i) => texts[i] === undefined);
  if (toRender.length) {
    const unloaded = toRender.filter((row) => !loaded.has(row.id)).map((row) => row.id);
    for (const row of await instancesById(backend.cellDb, unloaded)) loaded.set(row.id, row);
    const records = new Map(
      (
        await loadRecords(
          backend.cellDb,
          toRender.map((row) => loaded.get(row.id)).filter((r) => r !== undefined),
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
      cache.set(views[i]!.key, row.uuid, row.revision, texts[i]);
    });
  }
  const out: ServerText[] = [];
  rows.forEach((row, i) => {
    if (texts[i] !== undefined) out.push({ uuid: row.uuid, text: texts[i] });
  });
  return out;
}
