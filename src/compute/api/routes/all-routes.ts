import type { ApiDeps } from '../routing/api-deps.js';
import type { AnyRouteSpec } from '../routing/route-spec.js';
import { ExtraSpecValidator } from '../extra-specs/extra-spec-validator.js';
import { aggregateRoutes } from './aggregate-routes.js';
import { availabilityZoneRoutes } from './availability-zone-routes.js';
import { extensionRoutes } from './extension-routes.js';
import { flavorAccessRoutes } from './flavor-access-routes.js';
import { flavorExtraSpecRoutes } from './flavor-extra-spec-routes.js';
import { flavorRoutes } from './flavor-routes.js';
import { hypervisorRoutes } from './hypervisor-routes.js';
import { imageRoutes } from './image-routes.js';
import { keypairRoutes } from './keypair-routes.js';
import { quotaRoutes } from './quota-routes.js';
import { serverGroupRoutes } from './server-group-routes.js';
import { serviceRoutes } from './service-routes.js';
import { usageRoutes } from './usage-routes.js';
import { serversApiRoutes } from '../servers/servers-api.js';

/** Every route of the compute API. */
export function allRoutes(deps: ApiDeps): AnyRouteSpec[] {
  return [
    ...flavorRoutes(deps),
    ...flavorExtraSpecRoutes(deps, new ExtraSpecValidator()),
    ...flavorAccessRoutes(deps),
    ...keypairRoutes(deps),
    ...quotaRoutes(deps),
    ...availabilityZoneRoutes(deps),
    ...serviceRoutes(deps),
    ...hypervisorRoutes(deps),
    ...aggregateRoutes(deps),
    ...serverGroupRoutes(deps),
    ...usageRoutes(deps),
    ...extensionRoutes(),
    ...imageRoutes(deps),
    ...serversApiRoutes(deps),
  ];
}
