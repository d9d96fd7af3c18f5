import { NotFoundError } from '../../../common/errors.js';
import { FlavorPolicy } from '../policies/flavor-policies.js';
import type { RouteSpec } from '../routing/route-spec.js';
import { noParamsQueries } from '../schemas/flavor-schemas.js';
import { extensionList } from '../views/extension-view.js';

/** GET /extensions and /extensions/{alias}, the legacy extension discovery. */
export function extensionRoutes(): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/extensions',
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(FlavorPolicy.extensions, {});
        return { extensions: extensionList(call.version.legacy) };
      },
    },
    {
      method: 'GET',
      path: '/extensions/:id',
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(FlavorPolicy.extensions, {});
        const ext = extensionList(call.version.legacy).find((e) => e.alias === call.params.id);
        if (!ext) throw new NotFoundError('The resource could not be found.');
        return { extension: ext };
      },
    },
  ];
}
