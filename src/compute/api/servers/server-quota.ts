import type { Kysely } from 'kysely';
import { ForbiddenError } from '../../../common/errors.js';
import type { Database } from '../../../platform/db/database.js';
import type { ApiDatabase } from '../../api-db-tables.js';
import type { ApiConfig } from '../api-options.js';
import type { CellInstanceUsageCounter, InstanceCounts } from './instance-usage-counter.js';

/** The countable resources a server uses. */
type Resource = keyof InstanceCounts;
const RESOURCES: Resource[] = ['instances', 'cores', 'ram'];

/** Limits of the three resources for a project and for a user in it (-1: unlimited). */
export interface InstanceLimits {
  project: InstanceCounts;
  user: InstanceCounts;
}

/**
 * Reads the instance limits as Nova's DbQuotaDriver resolves them: the user's own limit, else
 * the project's, else the `default` quota class, else `[quota]`.
 */
export async function instanceLimits(
  api: Database,
  config: ApiConfig,
  projectId: string,
  userId: string,
): Promise<InstanceLimits> {
  const unlimited = { instances: -1, cores: -1, ram: -1 };
  if (config.quota.driver === 'nova.quota.NoopQuotaDriver')
    return { project: unlimited, user: unlimited };
  const db = api.kysely as Kysely<ApiDatabase>;
  const pick = (rows: { resource: string; hard_limit: number }[]) =>
    Object.fromEntries(
      rows
        .filter((r) => (RESOURCES as string[]).includes(r.resource))
        .map((r) => [r.resource, r.hard_limit]),
    );
  const cls = pick(
    await db
      .selectFrom('quota_classes')
      .select(['resource', 'hard_limit'])
      .where('class_name', '=', 'default')
      .execute(),
  );
  const proj = pick(
    await db
      .selectFrom('quotas')
      .select(['resource', 'hard_limit'])
      .where('project_id', '=', projectId)
      .execute(),
  );
  const user = pick(
    await db
      .selectFrom('project_user_quotas')
      .select(['resource', 'hard_limit'])
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .execute(),
  );
  const project = {} as InstanceCounts;
  const forUser = {} as InstanceCounts;
  for (const r of RESOURCES) {
    project[r] = proj[r] ?? cls[r] ?? Number(config.quota[r]);
    forUser[r] = user[r] ?? project[r];
  }
  return { project, user: forUser };
}

/** What one instance of the request uses. */
export interface PerInstance {
  cores: number;
  ram: number;
}

/**
 * How many instances fit (at most `max`) under every limit given current usage, as Nova
 * shrinks max_count to what quota allows; a 403 "Quota exceeded" when fewer than `min` fit.
 */
export function instancesThatFit(
  limits: InstanceLimits,
  usage: { project: InstanceCounts; user: InstanceCounts },
  per: PerInstance,
  min: number,
  max: number,
): number {
  let allowed = max;
  const overs: Resource[] = [];
  for (const scope of ['project', 'user'] as const) {
    for (const r of RESOURCES) {
      const limit = limits[scope][r];
      if (limit < 0) continue;
      const each = r === 'instances' ? 1 : per[r];
      if (each === 0) continue;
      const fits = Math.max(0, Math.floor((limit - usage[scope][r]) / each));
      if (fits < min && !overs.includes(r)) overs.push(r);
      allowed = Math.min(allowed, fits);
    }
  }
  if (overs.length > 0 || allowed < min)
    throw tooMany(overs.length ? overs : ['instances'], limits, usage, per, min);
  return allowed;
}

function tooMany(
  overs: Resource[],
  limits: InstanceLimits,
  usage: { project: InstanceCounts; user: InstanceCounts },
  per: PerInstance,
  min: number,
): ForbiddenError {
  // Nova's TooManyInstances wording, with the resources that ran out.
  const req = overs.map((r) => (r === 'instances' ? min : per[r] * min)).join(', ');
  const used = overs.map((r) => usage.project[r]).join(', ');
  const allowed = overs
    .map((r) =>
      limits.user[r] >= 0 && limits.user[r] < limits.project[r]
        ? limits.user[r]
        : limits.project[r],
    )
    .join(', ');
  const names = overs.join(', ');
  return new ForbiddenError(
    `Quota exceeded for ${names}: Requested ${req}, but already used ${used} of ${allowed} ${names}`,
    { code: 'compute.over_quota' },
  );
}

/** Checks that `count` more instances fit; throws the 403 otherwise. */
export async function checkInstanceQuota(
  counter: CellInstanceUsageCounter,
  limits: InstanceLimits,
  projectId: string,
  userId: string,
  per: PerInstance,
  min: number,
  max: number,
): Promise<number> {
  const project = await counter.countWhere(projectId);
  const user = await counter.countWhere(projectId, userId);
  return instancesThatFit(limits, { project, user }, per, min, max);
}
