import type { ApiDeps } from '../routing/api-deps.js';
import type { AnyRouteSpec } from '../routing/route-spec.js';
import { instanceActionRoutes } from './instance-action-routes.js';
import { ipsRoutes } from './ips-routes.js';
import { metadataRoutes } from './metadata-routes.js';
import { networkRoutes } from './network-routes.js';
import { serverRoutes } from './server-routes.js';
import { tagRoutes } from './tag-routes.js';

/** Every route of the servers API; none when the API runs without a cell database (tests). */
export function serversApiRoutes(deps: ApiDeps): AnyRouteSpec[] {
  const backend = deps.servers;
  if (!backend) return [];
  return [
    ...serverRoutes(deps, backend),
    ...metadataRoutes(backend),
    ...tagRoutes(backend),
    ...ipsRoutes(backend),
    ...networkRoutes(backend),
    ...instanceActionRoutes(backend),
  ];
}
