import { NotFoundError } from '../../../common/errors.js';
import { addressesByNetwork, parseNetworkInfo } from '../../network-info.js';
import type { RouteSpec } from '../routing/route-spec.js';
import { ServerPolicy } from './server-policies.js';
import { visibleInstance } from './server-reads.js';
import type { ServersBackend } from './servers-backend.js';

/**
 * /servers/{id}/ips: the server's addresses by network label, without the type and MAC the
 * server body adds (Nova's ips view); one label that is not among them is a 404.
 */
export function ipsRoutes(backend: ServersBackend): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/servers/:id/ips',
      handler: async (call) => {
        const row = await visibleInstance(backend.cellDb, call.context, call.params.id!);
        call.authorize(ServerPolicy.ipsIndex, { project_id: row.project_id });
        return { addresses: addressesByNetwork(parseNetworkInfo(row.network_info), false) };
      },
    },
    {
      method: 'GET',
      path: '/servers/:id/ips/:network',
      handler: async (call) => {
        const row = await visibleInstance(backend.cellDb, call.context, call.params.id!);
        call.authorize(ServerPolicy.ipsShow, { project_id: row.project_id });
        const label = call.params.network!;
        const networks = addressesByNetwork(parseNetworkInfo(row.network_info), false);
        if (!Object.hasOwn(networks, label))
          throw new NotFoundError('Instance is not a member of specified network');
        return { [label]: networks[label] };
      },
    },
  ];
}
