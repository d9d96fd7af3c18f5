import { ConflictError, NotFoundError } from '../../../common/errors.js';
import { isAdmin } from '../../../platform/auth/request-context.js';
import { FlavorPolicy } from '../policies/flavor-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ActionRouteSpec, ApiCall, RouteSpec } from '../routing/route-spec.js';
import {
  addTenantAccessSchemas,
  removeTenantAccessSchemas,
  type TenantAccessBody,
} from '../schemas/flavor-access-schemas.js';
import { noParamsQueries } from '../schemas/flavor-schemas.js';
import type { Flavor } from '../store/flavor-record.js';

async function accessBody(deps: ApiDeps, flavor: Flavor): Promise<unknown> {
  const projects = await deps.flavors.accessList(flavor);
  return {
    flavor_access: projects.map((p) => ({ flavor_id: flavor.flavorid, tenant_id: p })),
  };
}

async function flavorFor(deps: ApiDeps, call: ApiCall, id: string): Promise<Flavor> {
  return deps.flavors.get(id, {
    isAdmin: isAdmin(call.context),
    projectId: call.context.projectId,
  });
}

/** GET /flavors/{id}/os-flavor-access and the add/remove tenant access actions. */
export function flavorAccessRoutes(deps: ApiDeps): (RouteSpec | ActionRouteSpec)[] {
  return [
    {
      method: 'GET',
      path: '/flavors/:flavor_id/os-flavor-access',
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(FlavorPolicy.accessList);
        const flavor = await flavorFor(deps, call, call.params.flavor_id!);
        if (flavor.isPublic) {
          throw new NotFoundError('Access list not available for public flavors.');
        }
        return accessBody(deps, flavor);
      },
    },
    {
      method: 'POST',
      path: '/flavors/:id/action',
      actions: {
        addTenantAccess: {
          body: addTenantAccessSchemas,
          handler: async (call: ApiCall<TenantAccessBody>) => {
            call.authorize(FlavorPolicy.addTenantAccess, {});
            const tenant = call.body.addTenantAccess!.tenant;
            await deps.projects.verify(call.context, tenant);
            const flavor = await flavorFor(deps, call, call.params.id!);
            // Nova 2.7: public flavors cannot be given access lists.
            if (call.version.atLeast('2.7') && flavor.isPublic) {
              throw new ConflictError('Can not add access to a public flavor.');
            }
            if (!(await deps.flavors.addAccess(flavor, tenant))) {
              throw new ConflictError(
                `Flavor access already exists for flavor ${flavor.flavorid} and project ${tenant} combination.`,
              );
            }
            return accessBody(deps, flavor);
          },
        },
        removeTenantAccess: {
          body: removeTenantAccessSchemas,
          handler: async (call: ApiCall<TenantAccessBody>) => {
            call.authorize(FlavorPolicy.removeTenantAccess, {});
            const tenant = call.body.removeTenantAccess!.tenant;
            // Nova verifies here too but lets an unknown project through: access of a deleted
            // project may still be removed. The verifier refuses nothing else, so it is not asked.
            const flavor = await flavorFor(deps, call, call.params.id!);
            if (!(await deps.flavors.removeAccess(flavor, tenant))) {
              throw new NotFoundError(
                `Flavor access not found for ${flavor.flavorid} / ${tenant} combination.`,
              );
            }
            return accessBody(deps, flavor);
          },
        },
      },
    },
  ];
}
