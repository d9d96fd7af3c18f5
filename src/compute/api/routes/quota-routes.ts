import { BadRequestError } from '../../../common/errors.js';
import { noParamsQueries } from '../schemas/flavor-schemas.js';
import { QuotaPolicy } from '../policies/quota-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall, RouteSpec } from '../routing/route-spec.js';
import {
  limitsQueries,
  quotaClassUpdateSchemas,
  quotaSetUpdateSchemas,
  quotaUserQueries,
  type QuotaClassSetBody,
  type QuotaSetBody,
} from '../schemas/quota-schemas.js';
import {
  limitsBody,
  quotaClassBody,
  quotaSetBody,
  quotaSetDetailBody,
} from '../views/quota-view.js';
import { parseBool } from './parse-bool.js';

const finite = (n: number) => (n === -1 ? Infinity : n);

async function currentLimits(deps: ApiDeps, projectId: string, userId: string | undefined) {
  const q =
    userId === undefined
      ? await deps.quotas.projectQuotas(projectId)
      : await deps.quotas.userQuotas(projectId, userId);
  return Object.fromEntries(Object.entries(q).map(([k, d]) => [k, d.limit]));
}

async function updateQuotaSet(deps: ApiDeps, call: ApiCall<QuotaSetBody>): Promise<unknown> {
  const projectId = call.params.id!;
  call.authorize(QuotaPolicy.update, { project_id: projectId });
  await deps.projects.verify(call.context, projectId);
  const userId = call.query.first('user_id');
  const body = call.body.quota_set;
  const force = parseBool(body.force ?? 'False') ?? false;
  const settable = await deps.quotas.settable(projectId, userId);
  // Every value is checked before any is written, as upstream's first pass does.
  const values: Record<string, number> = {};
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'force' || raw === null || raw === '' || raw === false) continue;
    const value = Number(raw);
    if (!force) {
      const { minimum, maximum } = settable[key]!;
      if (finite(value) < finite(minimum)) {
        throw new BadRequestError(
          `Quota limit ${value} for ${key} must be greater than or equal to already used and reserved ${minimum}.`,
        );
      }
      if (finite(value) > finite(maximum)) {
        throw new BadRequestError(
          `Quota limit ${value} for ${key} must be less than or equal to ${maximum}.`,
        );
      }
    }
    values[key] = value;
  }
  await deps.quotaStore.setLimits(projectId, userId, values);
  return quotaSetBody(call.version, await currentLimits(deps, projectId, userId));
}

/** os-quota-sets (show, detail, defaults, update, delete), os-quota-class-sets and /limits. */
export function quotaRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/os-quota-sets/:id',
      query: quotaUserQueries,
      handler: async (call) => {
        const projectId = call.params.id!;
        call.authorize(QuotaPolicy.show, { project_id: projectId });
        await deps.projects.verify(call.context, projectId);
        const limits = await currentLimits(deps, projectId, call.query.first('user_id'));
        return quotaSetBody(call.version, limits, projectId);
      },
    },
    {
      method: 'GET',
      path: '/os-quota-sets/:id/detail',
      query: quotaUserQueries,
      handler: async (call) => {
        const projectId = call.params.id!;
        call.authorize(QuotaPolicy.detail, { project_id: projectId });
        await deps.projects.verify(call.context, projectId);
        const userId = call.query.get('user_id');
        const details =
          userId === undefined
            ? await deps.quotas.projectQuotas(projectId, { usages: true })
            : await deps.quotas.userQuotas(projectId, userId, { usages: true });
        return quotaSetDetailBody(call.version, details, projectId);
      },
    },
    {
      method: 'GET',
      path: '/os-quota-sets/:id/defaults',
      query: noParamsQueries,
      handler: async (call) => {
        const projectId = call.params.id!;
        call.authorize(QuotaPolicy.defaults, { project_id: projectId });
        await deps.projects.verify(call.context, projectId);
        return quotaSetBody(call.version, await deps.quotas.defaults(), projectId);
      },
    },
    {
      method: 'PUT',
      path: '/os-quota-sets/:id',
      body: quotaSetUpdateSchemas,
      query: quotaUserQueries,
      handler: (call) => updateQuotaSet(deps, call),
    },
    {
      method: 'DELETE',
      path: '/os-quota-sets/:id',
      query: quotaUserQueries,
      status: 202,
      handler: async (call) => {
        const projectId = call.params.id!;
        call.authorize(QuotaPolicy.delete, { project_id: projectId });
        await deps.quotaStore.deleteLimits(projectId, call.query.first('user_id'));
        return undefined;
      },
    },
    {
      method: 'GET',
      path: '/os-quota-class-sets/:id',
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(QuotaPolicy.classShow, {});
        const id = call.params.id!;
        return quotaClassBody(call.version, await deps.quotas.classQuotas(id), id);
      },
    },
    {
      method: 'PUT',
      path: '/os-quota-class-sets/:id',
      body: quotaClassUpdateSchemas,
      handler: async (call: ApiCall<QuotaClassSetBody>) => {
        call.authorize(QuotaPolicy.classUpdate, {});
        const id = call.params.id!;
        if (id.length < 1 || id.length > 255) {
          throw new BadRequestError(
            'Invalid input received: quota_class_name has a length outside 1 and 255 characters.',
          );
        }
        const values = Object.fromEntries(
          Object.entries(call.body.quota_class_set).map(([k, v]) => [k, Number(v)]),
        );
        await deps.quotaStore.setClassLimits(id, values);
        return quotaClassBody(call.version, await deps.quotas.classQuotas(id));
      },
    },
    {
      method: 'GET',
      path: '/limits',
      query: limitsQueries,
      handler: async (call) => {
        call.authorize(QuotaPolicy.limits, {});
        let projectId = call.context.projectId ?? '';
        const other = call.query.get('tenant_id');
        if (other !== undefined) {
          projectId = other;
          call.authorize(QuotaPolicy.limitsOtherProject);
        }
        return limitsBody(
          call.version,
          await deps.quotas.projectQuotas(projectId, { usages: true }),
        );
      },
    },
  ];
}
