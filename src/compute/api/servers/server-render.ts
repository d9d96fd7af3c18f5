import type { Kysely } from 'kysely';
import { isAdmin } from '../../../platform/auth/request-context.js';
import type { ApiDatabase } from '../../api-db-tables.js';
import type { ApiCall } from '../routing/route-spec.js';
import { ServerPolicy } from './server-policies.js';
import type { ServerRecord } from './server-record.js';
import { serverView, type ServerViewSource } from './server-view.js';
import type { ServersBackend } from './servers-backend.js';

/** The compute agent's binary in the services table. */
const COMPUTE_BINARY = 'stratus-compute';

/**
 * Nova's get_instance_host_status: '' with no host, DOWN when forced down, MAINTENANCE when
 * disabled, UP with a recent heartbeat, else UNKNOWN.
 */
async function hostStatuses(
  backend: ServersBackend,
  records: ServerRecord[],
): Promise<Map<string, string>> {
  const services = new Map(
    (await backend.services.list({ binary: COMPUTE_BINARY })).map((s) => [s.host, s]),
  );
  const out = new Map<string, string>();
  for (const { row } of records) {
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

/** Renders full server bodies for the caller, with the fields the policies allow. */
export async function renderServers(
  backend: ServersBackend,
  call: ApiCall,
  records: ServerRecord[],
  opts: RenderOptions,
): Promise<Record<string, unknown>[]> {
  const v = call.version;
  const admin = isAdmin(call.context);
  const targetOf = (rec: ServerRecord) => ({ project_id: rec.row.project_id });
  let statuses: Map<string, string> | undefined;
  if (v.atLeast('2.16') && records.length) {
    const any = records.some(
      (rec) =>
        call.can(ServerPolicy.showHostStatus, targetOf(rec)) ||
        call.can(ServerPolicy.showHostStatusUnknownOnly, targetOf(rec)),
    );
    if (any) statuses = await hostStatuses(backend, records);
  }
  const out: Record<string, unknown>[] = [];
  for (const rec of records) {
    const target = targetOf(rec);
    let hostStatus: string | undefined;
    if (statuses) {
      if (call.can(ServerPolicy.showHostStatus, target)) hostStatus = statuses.get(rec.row.uuid);
      else if (call.can(ServerPolicy.showHostStatusUnknownOnly, target)) {
        const s = statuses.get(rec.row.uuid);
        if (s === 'UNKNOWN') hostStatus = s;
      }
    }
    const src: ServerViewSource = {
      server: rec,
      links: call.links,
      isAdmin: admin,
      extended: call.can(ServerPolicy.extendedAttributes, target),
      extraSpecs: v.atLeast('2.47') && call.can(ServerPolicy.showFlavorExtraSpecs, target),
      hostStatus,
      serverGroups:
        opts.single && v.atLeast('2.71') ? await serverGroups(backend, rec.row.uuid) : undefined,
      showUserData: true,
    };
    out.push(serverView.render(src, v));
  }
  return out;
}
