/**
 * The network info cache of an instance (instances.network_info, JSON): one entry per NIC in
 * the shape of Nova's network model (a VIF with its network, subnets and fixed IPs), so the API
 * views, the metadata service and drivers read the same thing Nova's would.
 */

/** One fixed IP of a NIC. */
export interface FixedIpInfo {
  address: string;
  type: 'fixed';
  version: 4 | 6;
  floating_ips: never[];
}

/** One subnet of a NIC's network, with the NIC's addresses on it. */
export interface SubnetInfo {
  cidr: string;
  gateway: { address: string; type: 'gateway'; version: 4 | 6 };
  ips: FixedIpInfo[];
  version: 4 | 6;
  dns: never[];
  routes: never[];
}

/** One NIC (Nova's VIF). */
export interface VifInfo {
  /** The port id. */
  id: string;
  /** The MAC address. */
  address: string;
  type: 'bridge';
  devname: string;
  vnic_type: 'normal';
  active: boolean;
  preserve_on_delete: boolean;
  network: { id: string; label: string; subnets: SubnetInfo[] };
}

/** What a request asks for one NIC: the network, optionally a fixed IPv4 address. */
export interface NicRequest {
  networkUuid: string;
  fixedIp: string | null;
}

/** The NICs of an instance, from its stored network_info (empty for bad or missing JSON). */
export function parseNetworkInfo(text: string | null | undefined): VifInfo[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as VifInfo[]) : [];
  } catch {
    return [];
  }
}

/** One address as the API shows it. */
export interface AddressView {
  version: 4 | 6;
  addr: string;
  'OS-EXT-IPS:type'?: string;
  'OS-EXT-IPS-MAC:mac_addr'?: string;
}

/**
 * Addresses by network label, NICs in order (Nova's get_networks_for_instance and the ips view
 * builder); `extended` adds the type and MAC, as the server body shows them and /ips does not.
 */
export function addressesByNetwork(
  vifs: readonly VifInfo[],
  extended: boolean,
): Record<string, AddressView[]> {
  const out: Record<string, AddressView[]> = {};
  for (const vif of vifs) {
    const list = (out[vif.network.label] ??= []);
    for (const subnet of vif.network.subnets) {
      for (const ip of subnet.ips) {
        const a: AddressView = { version: ip.version, addr: ip.address };
        if (extended) {
          a['OS-EXT-IPS:type'] = ip.type;
          a['OS-EXT-IPS-MAC:mac_addr'] = vif.address;
        }
        list.push(a);
      }
    }
  }
  return out;
}

/** Every fixed IP of the NICs, for the driver's spawn request. */
export function driverNics(
  vifs: readonly VifInfo[],
): { mac: string; ip: string; network: string }[] {
  return vifs.flatMap((vif) =>
    vif.network.subnets.flatMap((s) =>
      s.ips.map((ip) => ({ mac: vif.address, ip: ip.address, network: vif.network.label })),
    ),
  );
}

/** The fixed IPs of one version, for the `ip` and `ip6` list filters. */
export function fixedIps(text: string | null | undefined, version: 4 | 6): string[] {
  return parseNetworkInfo(text).flatMap((vif) =>
    vif.network.subnets.flatMap((s) =>
      s.ips.filter((ip) => ip.version === version).map((ip) => ip.address),
    ),
  );
}

/**
 * The `ip`/`ip6` server list filters (Nova's _ip_filter): a server matches when one of its
 * IPv4 addresses matches `ip`, or one of its IPv6 addresses matches `ip6`, each a regular
 * expression anchored at the start of the address (Python's re.match).
 */
export function ipFilter(
  ip: string | undefined,
  ip6: string | undefined,
): ((networkInfo: string | null | undefined) => boolean) | undefined {
  if (ip === undefined && ip6 === undefined) return undefined;
  const anchored = (re: string | undefined) =>
    re === undefined ? null : new RegExp(`^(?:${re})`, 'u');
  const v4 = anchored(ip);
  const v6 = anchored(ip6);
  return (networkInfo) =>
    (v4 !== null && fixedIps(networkInfo, 4).some((a) => v4.test(a))) ||
    (v6 !== null && fixedIps(networkInfo, 6).some((a) => v6.test(a)));
}
