import type { PathRoutes, RouteContext } from '../route-context.js';
import { aggregateRoutes } from './aggregate-routes.js';
import { allocationRoutes } from './allocation-routes.js';
import { candidateRoutes, type CandidateFinder } from './candidate-routes.js';
import { inventoryRoutes } from './inventory-routes.js';
import { providerRoutes } from './provider-routes.js';
import { reshaperRoutes } from './reshaper-routes.js';
import { resourceClassRoutes } from './resource-class-routes.js';
import { rootRoutes } from './root-routes.js';
import { traitRoutes } from './trait-routes.js';
import { usageRoutes } from './usage-routes.js';

/** Every path of the placement API with its handlers by method (upstream's route map). */
export function placementRouteTable(
  ctx: RouteContext,
  candidates: CandidateFinder,
): Record<string, PathRoutes> {
  return {
    ...rootRoutes(ctx),
    ...providerRoutes(ctx),
    ...inventoryRoutes(ctx),
    ...aggregateRoutes(ctx),
    ...traitRoutes(ctx),
    ...resourceClassRoutes(ctx),
    ...allocationRoutes(ctx),
    ...usageRoutes(ctx),
    ...reshaperRoutes(ctx),
    ...candidateRoutes(ctx, candidates),
  };
}
