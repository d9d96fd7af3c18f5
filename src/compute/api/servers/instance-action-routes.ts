import { BadRequestError, NotFoundError } from '../../../common/errors.js';
import { isAdmin } from '../../../platform/auth/request-context.js';
import { toDbTimestamp } from '../../../platform/db/timestamps.js';
import { limitAndMarker } from '../http/pagination.js';
import { Versioned } from '../microversion/versioned.js';
import type { ApiCall, RouteSpec } from '../routing/route-spec.js';
import { multiParams, paginationParams, querySchema } from '../validation/parameter-types.js';
import { hostId, naiveIso } from './server-record.js';
import { ServerPolicy } from './server-policies.js';
import { cellDb, serverNotFound } from './server-reads.js';
import type { ServersBackend } from './servers-backend.js';

const since = { 'changes-since': multiParams({ type: 'string', format: 'date-time' }) };
const listQueries = new Versioned<object>([
  [['2.0', '2.57'], querySchema({}, true)],
  [['2.58', '2.65'], querySchema({ ...paginationParams, ...since }, false)],
  [
    ['2.66'],
    querySchema(
      {
        ...paginationParams,
        ...since,
        'changes-before': multiParams({ type: 'string', format: 'date-time' }),
      },
      false,
    ),
  ],
]);
const showQueries = new Versioned<object>([
  [['2.0', '2.101'], querySchema({}, true)],
  [['2.102'], querySchema({}, false)],
]);

/** The instance, deleted ones too from 2.21, as the caller may see it. */
async function instanceFor(backend: ServersBackend, call: ApiCall) {
  const id = call.params.id!;
  let q = cellDb(backend.cellDb).selectFrom('instances').selectAll().where('uuid', '=', id);
  if (!call.version.atLeast('2.21')) q = q.where('deleted', '=', 0);
  const row = await q.executeTakeFirst();
  if (!row || (!isAdmin(call.context) && row.project_id !== call.context.projectId))
    throw serverNotFound(id);
  return row;
}

type ActionRow = {
  action: string;
  instance_uuid: string;
  request_id: string;
  user_id: string | null;
  project_id: string | null;
  start_time: string;
  message: string | null;
  updated_at: string | null;
};

function formatAction(a: ActionRow, v258: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    action: a.action,
    instance_uuid: a.instance_uuid,
    request_id: a.request_id,
    user_id: a.user_id,
    project_id: a.project_id,
    start_time: naiveIso(a.start_time),
    message: a.message,
  };
  // An action never finished shows its start as the last change.
  if (v258) out.updated_at = naiveIso(a.updated_at ?? a.start_time);
  return out;
}

function isoParam(call: ApiCall, name: string): string | undefined {
  const raw = call.query.get(name);
  return raw === undefined ? undefined : toDbTimestamp(Date.parse(raw));
}

/** /servers/{id}/os-instance-actions: the actions on a server, and one with its events. */
export function instanceActionRoutes(backend: ServersBackend): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/servers/:id/os-instance-actions',
      query: listQueries,
      handler: async (call) => {
        const inst = await instanceFor(backend, call);
        call.authorize(ServerPolicy.actionsList, { project_id: inst.project_id });
        const v258 = call.version.atLeast('2.58');
        let q = cellDb(backend.cellDb)
          .selectFrom('instance_actions')
          .selectAll()
          .where('instance_uuid', '=', inst.uuid);
        let limit = Number.MAX_SAFE_INTEGER;
        let marker: string | undefined;
        if (v258) {
          const s = isoParam(call, 'changes-since');
          const b = call.version.atLeast('2.66') ? isoParam(call, 'changes-before') : undefined;
          if (s && b && b < s)
            throw new BadRequestError(
              'The value of changes-since must be less than or equal to changes-before.',
            );
          if (s) q = q.where((eb) => eb(eb.fn.coalesce('updated_at', 'start_time'), '>=', s));
          if (b) q = q.where((eb) => eb(eb.fn.coalesce('updated_at', 'start_time'), '<=', b));
          ({ limit, marker } = limitAndMarker(call.query, backend.config.api.max_limit));
        }
        let rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
        if (marker !== undefined) {
          const i = rows.findIndex((r) => r.request_id === marker);
          if (i < 0) throw new BadRequestError(`Marker ${marker} could not be found.`);
          rows = rows.slice(i + 1);
        }
        rows = rows.slice(0, limit);
        const body: Record<string, unknown> = {
          instanceActions: rows.map((r) => formatAction(r, v258)),
        };
        if (v258) {
          const next = call.links.collection(
            rows,
            `servers/${inst.uuid}/os-instance-actions`,
            (r) => r.request_id,
          );
          if (next.length) body.links = next;
        }
        return body;
      },
    },
    {
      method: 'GET',
      path: '/servers/:id/os-instance-actions/:requestId',
      query: showQueries,
      handler: async (call) => {
        const inst = await instanceFor(backend, call);
        const target = { project_id: inst.project_id };
        call.authorize(ServerPolicy.actionsShow, target);
        const v = call.version;
        const action = await cellDb(backend.cellDb)
          .selectFrom('instance_actions')
          .selectAll()
          .where('instance_uuid', '=', inst.uuid)
          .where('request_id', '=', call.params.requestId!)
          .orderBy('id', 'desc')
          .executeTakeFirst();
        if (!action) throw new NotFoundError(`Action ${call.params.requestId} not found`);
        const out = formatAction(action, v.atLeast('2.58'));
        const admin = call.can(ServerPolicy.actionsEvents, target);
        // Nova 2.51: everyone sees events (without tracebacks); before, only admins.
        if (admin || v.atLeast('2.51')) {
          const details = v.atLeast('2.84') && call.can(ServerPolicy.actionsEventsDetails, target);
          const events = await cellDb(backend.cellDb)
            .selectFrom('instance_actions_events')
            .selectAll()
            .where('action_id', '=', action.id)
            .orderBy('id', 'asc')
            .execute();
          out.events = events.map((e) => {
            const ev: Record<string, unknown> = {
              event: e.event,
              start_time: naiveIso(e.start_time),
              finish_time: naiveIso(e.finish_time),
              result: e.result,
            };
            if (admin) ev.traceback = e.traceback;
            if (admin && v.atLeast('2.62')) ev.host = e.host;
            if (v.atLeast('2.62')) ev.hostId = hostId(e.host, action.project_id ?? inst.project_id);
            if (details) ev.details = e.details;
            return ev;
          });
        }
        return { instanceAction: out };
      },
    },
  ];
}
