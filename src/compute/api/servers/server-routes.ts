import { BadRequestError } from '../../../common/errors.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall, RouteSpec } from '../routing/route-spec.js';
import { createServers } from './server-create.js';
import { deleteServer } from './server-delete.js';
import { listServers } from './server-list.js';
import { serverListQueries, serverShowQueries } from './server-list-query.js';
import { ServerPolicy } from './server-policies.js';
import { loadRecords, serverNotFound, visibleInstance } from './server-reads.js';
import { LISTED_COLUMNS, renderServers, renderServerTexts } from './server-render.js';
import { serverCreateSchemas, serverUpdateSchemas } from './server-schemas.js';
import { serverBriefView } from './server-view.js';
import { sanitizeHostname } from './create-inputs.js';
import type { ServersBackend } from './servers-backend.js';

/** Fields the update response leaves out before 2.75 (upstream's trimmed show). */
const TRIMMED_BEFORE_275 =
  /^(OS-EXT-AZ:|OS-EXT-SRV-ATTR:|OS-EXT-STS:|OS-SRV-USG:|os-extended-volumes:|config_drive$|key_name$|host_status$|security_groups$)/;

async function showBody(backend: ServersBackend, call: ApiCall, id: string): Promise<unknown> {
  const row = await visibleInstance(backend.cellDb, call.context, id);
  call.authorize(ServerPolicy.show, { project_id: row.project_id });
  const [server] = await renderServers(backend, call, await loadRecords(backend.cellDb, [row]), {
    single: true,
  });
  return { server };
}

/** The servers collection: list, detail, show, create, update and delete. */
const COMMA = Buffer.from(',');
const SERVER_OPEN = Buffer.from('{"server":');
const CLOSE = Buffer.from('}');

export function serverRoutes(deps: ApiDeps, backend: ServersBackend): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/servers',
      query: serverListQueries,
      handler: async (call) => {
        const rows = await listServers(backend, call, false, ['uuid', 'display_name']);
        const body: Record<string, unknown> = {
          servers: rows.map((row) =>
            serverBriefView.render({ row, links: call.links }, call.version),
          ),
        };
        const next = call.links.collection(rows, 'servers', (r) => r.uuid);
        if (next.length) body.servers_links = next;
        return body;
      },
    },
    {
      method: 'GET',
      path: '/servers/detail',
      query: serverListQueries,
      handler: async (call) => {
        const rows = await listServers(backend, call, true, LISTED_COLUMNS);
        // Joined from bodies rendered once per instance revision; a Buffer is sent as it is.
        const servers = await renderServerTexts(backend, call, rows);
        // The marker of the next link is the last row rendered: a row purged between the
        // listing and the render has no uuid left to name.
        const next = servers.length
          ? call.links.collection(rows, 'servers/detail', () => servers.at(-1)!.uuid)
          : [];
        const parts: Buffer[] = [Buffer.from('{"servers":[')];
        for (const [i, s] of servers.entries()) {
          if (i) parts.push(COMMA);
          parts.push(s.text);
        }
        const links = next.length ? `,"servers_links":${JSON.stringify(next)}` : '';
        parts.push(Buffer.from(`]${links}}`));
        return Buffer.concat(parts);
      },
    },
    {
      method: 'GET',
      path: '/servers/:id',
      query: serverShowQueries,
      handler: async (call) => {
        const id = call.params.id!;
        const row = await visibleInstance(backend.cellDb, call.context, id, LISTED_COLUMNS);
        call.authorize(ServerPolicy.show, { project_id: row.project_id });
        const [server] = await renderServerTexts(backend, call, [row], { single: true });
        if (!server) throw serverNotFound(id);
        return Buffer.concat([SERVER_OPEN, server.text, CLOSE]);
      },
    },
    {
      method: 'POST',
      path: '/servers',
      body: serverCreateSchemas,
      status: 202,
      handler: (call) => createServers(deps, backend, call),
    },
    {
      method: 'PUT',
      path: '/servers/:id',
      body: serverUpdateSchemas,
      handler: async (call) => {
        const row = await visibleInstance(backend.cellDb, call.context, call.params.id!);
        call.authorize(ServerPolicy.update, { project_id: row.project_id, user_id: row.user_id });
        const s = (call.body as { server: Record<string, any> }).server;
        const changes: Record<string, unknown> = {};
        if (s.name !== undefined) {
          changes.display_name = call.version.legacy ? String(s.name).trim() : s.name;
          // Nova before 2.90 renames the hostname with the server.
          if (!call.version.atLeast('2.90'))
            changes.hostname = sanitizeHostname(String(changes.display_name), `server-${row.uuid}`);
        }
        if (s.description !== undefined) changes.display_description = s.description;
        if (s.accessIPv4 !== undefined) changes.access_ip_v4 = s.accessIPv4;
        if (s.accessIPv6 !== undefined) changes.access_ip_v6 = s.accessIPv6;
        if (s.hostname !== undefined) changes.hostname = s.hostname;
        if (s.pinned_availability_zone !== undefined) {
          throw new BadRequestError('Changing the pinned availability zone is not supported yet.');
        }
        if (Object.keys(changes).length) await backend.instances.update(row.uuid, changes);
        const out = (await showBody(backend, call, row.uuid)) as {
          server: Record<string, unknown>;
        };
        if (!call.version.atLeast('2.75')) {
          for (const k of Object.keys(out.server))
            if (TRIMMED_BEFORE_275.test(k)) delete out.server[k];
          if (!call.version.atLeast('2.71')) delete out.server.server_groups;
        }
        return out;
      },
    },
    {
      method: 'DELETE',
      path: '/servers/:id',
      status: 204,
      handler: async (call) => {
        await deleteServer(backend, call);
        return undefined;
      },
    },
  ];
}
