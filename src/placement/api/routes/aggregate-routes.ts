import { aggregatesOfProvider, setAggregatesOfProvider } from '../../service/aggregate-service.js';
import { requireProvider } from '../../service/provider-service.js';
import { sendJson } from '../json-reply.js';
import { Policy } from '../policies.js';
import {
  cacheHeaders,
  checkAcceptJson,
  readJson,
  requireJsonContent,
  requireVersion,
  versionOf,
} from '../request-helpers.js';
import type { PathRoutes, RouteContext } from '../route-context.js';

/** /resource_providers/{uuid}/aggregates (1.1+; generations from 1.19). */
export function aggregateRoutes(ctx: RouteContext): Record<string, PathRoutes> {
  const { deps, checks } = ctx;
  const now = () => deps.clock.now();
  const payload = (aggregates: string[], generation: number, withGen: boolean) =>
    withGen ? { aggregates, resource_provider_generation: generation } : { aggregates };
  return {
    '/resource_providers/:uuid/aggregates': {
      GET: async (req, reply) => {
        requireVersion(req, 1);
        checkAcceptJson(req);
        ctx.authorize(req, Policy.AGG_LIST);
        const { uuid } = req.params as { uuid: string };
        const { provider, aggregates } = await aggregatesOfProvider(deps, uuid);
        cacheHeaders(req, reply, null, now());
        return sendJson(
          reply,
          200,
          payload(aggregates, provider.generation, versionOf(req).atLeast(19)),
        );
      },
      PUT: async (req, reply) => {
        requireVersion(req, 1);
        requireJsonContent(req);
        ctx.authorize(req, Policy.AGG_UPDATE);
        const withGen = versionOf(req).atLeast(19);
        const { uuid } = req.params as { uuid: string };
        await requireProvider(deps, uuid);
        let aggregates: string[];
        let generation: number | undefined;
        if (withGen) {
          const body = readJson<{ aggregates: string[]; resource_provider_generation: number }>(
            req,
            checks.putAggregates119,
          );
          aggregates = body.aggregates;
          generation = body.resource_provider_generation;
        } else {
          aggregates = readJson<string[]>(req, checks.putAggregates);
        }
        const provider = await setAggregatesOfProvider(deps, uuid, aggregates, generation);
        cacheHeaders(req, reply, null, now());
        return sendJson(reply, 200, payload(aggregates, provider.generation, withGen));
      },
    },
  };
}
