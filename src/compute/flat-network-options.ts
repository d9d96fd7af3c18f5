import { optionalStr, str } from '../platform/config/options.js';

/**
 * `[flat_network]`: the one network every server's NICs are on until a networking service
 * exists. Fixed IPs come from `cidr` (and, when set, SLAAC addresses from `cidr_v6`); the API
 * shows the network under `network_name` and accepts `network_uuid` in `networks`.
 */
export const flatNetworkOptions = {
  network_name: str('private', 'Name (label) of the flat network, as server addresses show it.'),
  network_uuid: str(
    '2c5f6e1a-7d3b-4c8e-9f0a-1b2c3d4e5f60',
    'UUID of the flat network, as `networks: [{"uuid": ...}]` names it.',
  ),
  cidr: str('10.0.0.0/24', 'IPv4 subnet fixed IPs are allocated from (prefix /30 or shorter).'),
  gateway: optionalStr('IPv4 gateway of the subnet (default: its first address).'),
  cidr_v6: optionalStr('IPv6 /64 for SLAAC addresses derived from the MAC (default: none).'),
  gateway_v6: optionalStr('IPv6 gateway of the subnet (default: its first address).'),
};

/** The typed values of `[flat_network]`. */
export interface FlatNetworkSettings {
  network_name: string;
  network_uuid: string;
  cidr: string;
  gateway: string | undefined;
  cidr_v6: string | undefined;
  gateway_v6: string | undefined;
}
