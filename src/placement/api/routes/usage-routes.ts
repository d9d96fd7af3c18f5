import { projectUsages, projectUsagesByType, providerUsages } from '../../store/usages.js';
import { requireProvider } from '../../service/provider-service.js';
import { sendJson } from '../json-reply.js';
import { Policy } from '../policies.js';
import {
  cacheHeaders,
  checkAcceptJson,
  queryOf,
  requireVersion,
  validateQuery,
  versionOf,
} from '../request-helpers.js';
import type { PathRoutes, RouteContext } from '../route-context.js';

/** /resource_providers/{uuid}/usages and /usages (1.9+). */
export function usageRoutes(ctx: RouteContext): Record<string, PathRoutes> {
  const { deps, checks } = ctx;
  const db = () => deps.database.kysely;
  return {
    '/resource_providers/:uuid/usages': {
      GET: async (req, reply) => {
        checkAcceptJson(req);
        ctx.authorize(req, Policy.PROVIDER_USAGES);
        const { uuid } = req.params as { uuid: string };
        const provider = await requireProvider(
          deps,
          uuid,
          `No resource provider with uuid ${uuid} found: No resource provider with uuid ${uuid} found`,
        );
        const usages = await providerUsages(db(), provider.id);
        // Usage is "now": upstream sends the current time as Last-Modified.
        cacheHeaders(req, reply, null, deps.clock.now());
        return sendJson(reply, 200, { resource_provider_generation: provider.generation, usages });
      },
    },
    '/usages': {
      GET: async (req, reply) => {
        requireVersion(req, 9);
        checkAcceptJson(req);
        const params = queryOf(req);
        const last = (k: string) => params.getAll(k).at(-1);
        const projectId = last('project_id');
        const userId = last('user_id');
        const consumerType = last('consumer_type');
        ctx.authorize(req, Policy.TOTAL_USAGES, { project_id: projectId });
        const v = versionOf(req);
        validateQuery(params, v.atLeast(38) ? checks.usages138 : checks.usages);
        const usages = v.atLeast(38)
          ? await projectUsagesByType(db(), projectId!, userId, consumerType)
          : await projectUsages(db(), projectId!, userId);
        cacheHeaders(req, reply, null, deps.clock.now());
        return sendJson(reply, 200, { usages });
      },
    },
  };
}
