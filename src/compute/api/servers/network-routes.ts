import { NotFoundError } from '../../../common/errors.js';
import { isAdmin } from '../../../platform/auth/request-context.js';
import { FlatNetwork } from '../../flat-network.js';
import { Versioned } from '../microversion/versioned.js';
import type { ApiCall, Handler, RouteSpec } from '../routing/route-spec.js';
import { ServerPolicy } from './server-policies.js';
import type { ServersBackend } from './servers-backend.js';

/** Fields every caller sees, and the rest only admins see, all null but id and label (Nova). */
const FIELDS = [
  'id',
  'cidr',
  'netmask',
  'gateway',
  'broadcast',
  'dns1',
  'dns2',
  'cidr_v6',
  'gateway_v6',
  'label',
  'netmask_v6',
];
const ADMIN_FIELDS = [
  'created_at',
  'updated_at',
  'deleted_at',
  'deleted',
  'injected',
  'bridge',
  'vlan',
  'vpn_public_address',
  'vpn_public_port',
  'vpn_private_address',
  'dhcp_start',
  'project_id',
  'host',
  'bridge_interface',
  'multi_host',
  'priority',
  'rxtx_base',
  'mtu',
  'dhcp_server',
  'enable_dhcp',
  'share_address',
];

/** The deprecated proxy exists until 2.35 and is a 404 from 2.36, as upstream. */
const until235 = (h: Handler) => new Versioned<Handler>([[['2.1', '2.35'], h]]);

function networkDict(call: ApiCall, net: FlatNetwork): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of isAdmin(call.context) ? [...FIELDS, ...ADMIN_FIELDS] : FIELDS) {
    out[f] = f === 'id' ? net.uuid : f === 'label' ? net.label : null;
  }
  return out;
}

/**
 * /os-networks (list and show, 2.1–2.35): Nova's proxy of the networks a project may use, here
 * the flat network; the openstack CLI resolves `--nic net-id=` and `--network` through it when
 * the cloud has no network endpoint.
 */
export function networkRoutes(backend: ServersBackend): RouteSpec[] {
  const flat = () => FlatNetwork.fromSettings(backend.config.flat_network);
  return [
    {
      method: 'GET',
      path: '/os-networks',
      handler: until235(async (call) => {
        call.authorize(ServerPolicy.networksList);
        return { networks: [networkDict(call, flat())] };
      }),
    },
    {
      method: 'GET',
      path: '/os-networks/:id',
      handler: until235(async (call) => {
        call.authorize(ServerPolicy.networksView);
        const net = flat();
        if (call.params.id!.toLowerCase() !== net.uuid)
          throw new NotFoundError('Network not found');
        return { network: networkDict(call, net) };
      }),
    },
  ];
}
