import { reshape, type ReshapedInventory } from '../../service/reshape-service.js';
import { withDefaults } from '../../service/inventory-service.js';
import { sendEmpty } from '../json-reply.js';
import { Policy } from '../policies.js';
import { canonicalUuid } from '../query-params.js';
import { readJson, requireJsonContent, requireVersion, versionOf } from '../request-helpers.js';
import type { PathRoutes, RouteContext } from '../route-context.js';
import type { ConsumerAllocationsBody } from '../schemas/allocation-schemas.js';
import type { PutInventoriesBody } from '../schemas/inventory-schemas.js';
import { consumerAllocationsFromBody } from './allocation-body.js';

/** POST /reshaper (1.30+; the service role only, by default policy). */
export function reshaperRoutes(ctx: RouteContext): Record<string, PathRoutes> {
  const { deps, checks } = ctx;
  return {
    '/reshaper': {
      POST: async (req, reply) => {
        requireVersion(req, 30);
        requireJsonContent(req);
        ctx.authorize(req, Policy.RESHAPE);
        const v = versionOf(req);
        const c = checks.reshaper;
        const body = readJson<{
          inventories: Record<string, PutInventoriesBody>;
          allocations: Record<string, ConsumerAllocationsBody>;
        }>(req, v.atLeast(38) ? c.v1_38 : v.atLeast(34) ? c.v1_34 : c.v1_30);
        const inventories = new Map<string, ReshapedInventory>(
          Object.entries(body.inventories).map(([uuid, inv]) => [
            uuid,
            {
              generation: inv.resource_provider_generation,
              inventories: new Map(
                Object.entries(inv.inventories).map(
                  ([rc, { resource_provider_generation: _g, ...fields }]) => [
                    rc,
                    withDefaults(fields),
                  ],
                ),
              ),
            },
          ]),
        );
        const consumers = Object.entries(body.allocations).map(([uuid, b]) =>
          consumerAllocationsFromBody(canonicalUuid(uuid), b, v, deps.config),
        );
        await reshape(deps, inventories, consumers, true);
        return sendEmpty(reply, 204);
      },
    },
  };
}
