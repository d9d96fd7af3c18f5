import { NotFoundError } from '../../../common/errors.js';
import type { RouteSpec } from '../routing/route-spec.js';
import { ServerPolicy } from './server-policies.js';
import { visibleInstance } from './server-reads.js';
import type { ServersBackend } from './servers-backend.js';

/**
 * /servers/{id}/ips: the addresses by network. No server has a port until networking lands,
 * so the list is empty and every network label is a 404, as upstream for a foreign network.
 */
export function ipsRoutes(backend: ServersBackend): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/servers/:id/ips',
      handler: async (call) => {
        const row = await visibleInstance(backend.cellDb, call.context, call.params.id!);
        call.authorize(ServerPolicy.ipsIndex, { project_id: row.project_id });
        return { addresses: {} };
      },
    },
    {
      method: 'GET',
      path: '/servers/:id/ips/:network',
      handler: async (call) => {
        const row = await visibleInstance(backend.cellDb, call.context, call.params.id!);
        call.authorize(ServerPolicy.ipsShow, { project_id: row.project_id });
        throw new NotFoundError('Instance is not a member of specified network');
      },
    },
  ];
}
