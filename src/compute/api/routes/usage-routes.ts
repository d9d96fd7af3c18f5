import { BadRequestError } from '../../../common/errors.js';
import { limitAndMarker } from '../http/pagination.js';
import { UsagePolicy } from '../policies/usage-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall, RouteSpec } from '../routing/route-spec.js';
import { noParamsQueries } from '../schemas/flavor-schemas.js';
import { usageListQueries, usageShowQueries } from '../schemas/usage-schemas.js';
import { lastCompletedAuditPeriod, pyDateTime } from '../usage/audit-period.js';
import { tenantUsages } from '../usage/tenant-usage.js';
import { activeInWindow } from '../usage/usage-reads.js';
import { COMPUTE_TOPIC } from '../../service-binaries.js';

const FORMATS = [
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/,
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{1,6})$/,
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,6})$/,
];

/** A datetime in one of the three forms upstream accepts, read as UTC; now when absent. */
function parseTime(raw: string | undefined, now: number): Date {
  if (raw === undefined || raw === '') return new Date(now);
  for (const re of FORMATS) {
    const m = re.exec(raw);
    if (!m) continue;
    const [, y, mo, d, h, mi, s, frac] = m.map((x) => (x === undefined ? undefined : Number(x)));
    const ms = frac === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
    const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms));
    if (!Number.isNaN(date.getTime()) && date.getUTCDate() === d) return date;
  }
  throw new BadRequestError('Invalid datetime string: Datetime is in invalid format');
}

function period(call: ApiCall, now: number): { start: Date; stop: Date; detailed: boolean } {
  const start = parseTime(call.query.first('start'), now);
  let stop = parseTime(call.query.first('end'), now);
  if (!(start < stop)) {
    throw new BadRequestError(
      'Invalid start time. The start time cannot occur after the end time.',
    );
  }
  // A period ending in the future ends now.
  if (stop.getTime() > now) stop = new Date(now);
  return { start, stop, detailed: call.query.first('detailed') === '1' };
}

/** os-simple-tenant-usage and os-instance_usage_audit_log. */
export function usageRoutes(deps: ApiDeps): RouteSpec[] {
  const usage = async (call: ApiCall, projectId: string | undefined) => {
    const now = deps.clock.now();
    const { start, stop, detailed } = period(call, now);
    const links = call.version.atLeast('2.40');
    const page = links
      ? limitAndMarker(call.query, deps.maxLimit)
      : { limit: deps.maxLimit, marker: undefined };
    const instances = await activeInWindow(deps.cell.database, start, stop, { projectId, ...page });
    return {
      ...tenantUsages(instances, start, stop, new Date(now), projectId !== undefined || detailed),
      links,
    };
  };
  return [
    {
      method: 'GET',
      path: '/os-simple-tenant-usage',
      query: usageListQueries,
      handler: async (call) => {
        call.authorize(UsagePolicy.list);
        const r = await usage(call, undefined);
        const body: Record<string, unknown> = { tenant_usages: r.usages };
        if (r.links) {
          const next = call.links.collection(
            r.servers,
            'os-simple-tenant-usage',
            (s) => s.instance_id,
          );
          if (next.length) body.tenant_usages_links = next;
        }
        return body;
      },
    },
    {
      method: 'GET',
      path: '/os-simple-tenant-usage/:id',
      query: usageShowQueries,
      handler: async (call) => {
        const projectId = call.params.id!;
        call.authorize(UsagePolicy.show, { project_id: projectId });
        const r = await usage(call, projectId);
        const body: Record<string, unknown> = { tenant_usage: r.usages[0] ?? {} };
        if (r.links) {
          const next = call.links.collection(
            r.servers,
            `os-simple-tenant-usage/${projectId}`,
            (s) => s.instance_id,
          );
          if (next.length) body.tenant_usage_links = next;
        }
        return body;
      },
    },
    {
      method: 'GET',
      path: '/os-instance_usage_audit_log',
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(UsagePolicy.auditList, {});
        return { instance_usage_audit_logs: await auditLog(deps, new Date(deps.clock.now())) };
      },
    },
    {
      method: 'GET',
      path: '/os-instance_usage_audit_log/:id',
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(UsagePolicy.auditShow, {});
        const id = call.params.id!;
        const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/.exec(id);
        const before = m
          ? new Date(`${id.slice(0, 10)}T${id.slice(11, 19)}${m[7] ? m[7].slice(0, 4) : ''}Z`)
          : null;
        if (!before || Number.isNaN(before.getTime())) {
          throw new BadRequestError(`Invalid timestamp for date ${id}`);
        }
        return { instance_usage_audit_log: await auditLog(deps, before) };
      },
    },
  ];
}

/** The summary of the instance usage audits of the last completed period before `at`. */
async function auditLog(deps: ApiDeps, at: Date): Promise<unknown> {
  const { begin, end } = lastCompletedAuditPeriod(
    deps.config.DEFAULT.instance_usage_audit_period,
    at,
  );
  const logs = await deps.taskLogs.list('instance_usage_audit', begin, end);
  const hosts = new Set(
    (await deps.services.list()).filter((s) => s.topic === COMPUTE_TOPIC).map((s) => s.host),
  );
  const seen = new Set(logs.map((l) => l.host));
  const done = new Set(logs.filter((l) => l.state === 'DONE').map((l) => l.host));
  const running = new Set(logs.filter((l) => l.state === 'RUNNING').map((l) => l.host));
  const errors = logs.reduce((a, l) => a + l.errors, 0);
  const missing = [...hosts].filter((h) => !seen.has(h));
  return {
    period_beginning: pyDateTime(begin),
    period_ending: pyDateTime(end),
    num_hosts: hosts.size,
    num_hosts_done: done.size,
    num_hosts_running: running.size,
    num_hosts_not_run: missing.length,
    hosts_not_run: missing,
    total_instances: logs.reduce((a, l) => a + l.taskItems, 0),
    total_errors: errors,
    overall_status: `${done.size === hosts.size ? 'ALL' : `${done.size} of ${hosts.size}`} hosts done. ${errors} errors.`,
    log: Object.fromEntries(
      logs.map((l) => [
        l.host,
        { state: l.state, instances: l.taskItems, errors: l.errors, message: l.message },
      ]),
    ),
  };
}
