import { BadRequestError, NotFoundError } from '../../../common/errors.js';
import { isAdmin } from '../../../platform/auth/request-context.js';
import type { ExtraSpecValidator } from '../extra-specs/extra-spec-validator.js';
import { FlavorPolicy } from '../policies/flavor-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall, RouteSpec } from '../routing/route-spec.js';
import {
  extraSpecsCreateSchemas,
  extraSpecUpdateSchemas,
  type ExtraSpecsBody,
} from '../schemas/flavor-extra-spec-schemas.js';
import { noParamsQueries } from '../schemas/flavor-schemas.js';
import type { Flavor } from '../store/flavor-record.js';

function noSuchSpec(flavorId: string, key: string): NotFoundError {
  return new NotFoundError(`Flavor ${flavorId} has no extra specs with key ${key}.`, {
    code: 'compute.extra_spec_not_found',
  });
}

/**
 * Checks values as upstream: numbers become strings (and must fit 255 characters), and from
 * 2.86 each spec is validated against the known extra specs.
 */
function checkedSpecs(call: ApiCall, specs: ExtraSpecsBody, validator: ExtraSpecValidator) {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(specs)) {
    const value = String(raw);
    if (typeof raw === 'number' && value.length > 255) {
      throw new BadRequestError(
        'Invalid input received: extra_specs value has more than 255 characters.',
      );
    }
    if (call.version.atLeast('2.86')) validator.validate(name, value);
    out[name] = value;
  }
  return out;
}

async function flavorFor(deps: ApiDeps, call: ApiCall): Promise<Flavor> {
  const viewer = { isAdmin: isAdmin(call.context), projectId: call.context.projectId };
  return deps.flavors.get(call.params.flavor_id!, viewer);
}

/** The extra spec routes of a flavor: list, show, create (merge), update one, delete one. */
export function flavorExtraSpecRoutes(deps: ApiDeps, validator: ExtraSpecValidator): RouteSpec[] {
  const base = '/flavors/:flavor_id/os-extra_specs';
  return [
    {
      method: 'GET',
      path: base,
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(FlavorPolicy.specsIndex, { project_id: call.context.projectId });
        return { extra_specs: (await flavorFor(deps, call)).extraSpecs };
      },
    },
    {
      method: 'GET',
      path: `${base}/:id`,
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(FlavorPolicy.specsShow, { project_id: call.context.projectId });
        const flavor = await flavorFor(deps, call);
        const key = call.params.id!;
        if (!(key in flavor.extraSpecs)) throw noSuchSpec(call.params.flavor_id!, key);
        return { [key]: flavor.extraSpecs[key] };
      },
    },
    {
      method: 'POST',
      path: base,
      body: extraSpecsCreateSchemas,
      handler: async (call: ApiCall<{ extra_specs: ExtraSpecsBody }>) => {
        call.authorize(FlavorPolicy.specsCreate, {});
        const specs = checkedSpecs(call, call.body.extra_specs, validator);
        await deps.flavors.setExtraSpecs(await flavorFor(deps, call), specs);
        // Upstream echoes the request, numbers and all.
        return call.body;
      },
    },
    {
      method: 'PUT',
      path: `${base}/:id`,
      body: extraSpecUpdateSchemas,
      handler: async (call: ApiCall<ExtraSpecsBody>) => {
        call.authorize(FlavorPolicy.specsUpdate, {});
        const specs = checkedSpecs(call, call.body, validator);
        if (!(call.params.id! in specs)) throw new BadRequestError('Request body and URI mismatch');
        await deps.flavors.setExtraSpecs(await flavorFor(deps, call), specs);
        return call.body;
      },
    },
    {
      method: 'DELETE',
      path: `${base}/:id`,
      handler: async (call) => {
        call.authorize(FlavorPolicy.specsDelete, {});
        const flavor = await flavorFor(deps, call);
        if (!(await deps.flavors.deleteExtraSpec(flavor, call.params.id!))) {
          throw noSuchSpec(call.params.flavor_id!, call.params.id!);
        }
        return undefined;
      },
    },
  ];
}
