import { bigIntToIp, cidrContains, ipToBigInt, parseCidr, type Cidr } from './ip-address.js';
import type { FlatNetworkSettings } from './flat-network-options.js';

/** An error in `[flat_network]`, naming the option. */
function bad(key: string, why: string): Error {
  return new Error(`[flat_network] ${key}: ${why}`);
}

/** One subnet of the flat network. */
export interface FlatSubnet {
  cidr: Cidr;
  gateway: bigint;
}

/**
 * The flat network as configured: its identity, the IPv4 allocation pool (every host address
 * of the subnet but the gateway, as Neutron's default pool) and the optional SLAAC IPv6 subnet.
 */
export class FlatNetwork {
  private constructor(
    readonly uuid: string,
    readonly label: string,
    readonly v4: FlatSubnet,
    readonly v6: FlatSubnet | null,
  ) {}

  /** Reads `[flat_network]`; throws an Error naming the bad option. */
  static fromSettings(s: FlatNetworkSettings): FlatNetwork {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s.network_uuid))
      throw bad('network_uuid', `'${s.network_uuid}' is not a UUID`);
    const subnet = (key: string, text: string, version: 4 | 6, gw: string | undefined) => {
      let cidr: Cidr;
      try {
        cidr = parseCidr(text);
      } catch (err) {
        throw bad(key, (err as Error).message);
      }
      if (cidr.version !== version) throw bad(key, `'${text}' is not an IPv${version} CIDR`);
      if (version === 4 && cidr.prefix > 30) throw bad(key, 'the prefix must be /30 or shorter');
      if (version === 6 && cidr.prefix !== 64) throw bad(key, 'SLAAC needs a /64');
      const gateway = gw === undefined ? cidr.network + 1n : ipToBigInt(gw);
      if (gw !== undefined && !cidrContains(cidr, gw))
        throw bad(`gateway${version === 6 ? '_v6' : ''}`, `'${gw}' is outside ${cidr.text}`);
      return { cidr, gateway };
    };
    return new FlatNetwork(
      s.network_uuid.toLowerCase(),
      s.network_name,
      subnet('cidr', s.cidr, 4, s.gateway),
      s.cidr_v6 === undefined ? null : subnet('cidr_v6', s.cidr_v6, 6, s.gateway_v6),
    );
  }

  /** The IPv4 addresses a NIC may get, lowest first: host addresses except the gateway. */
  *pool(): Generator<bigint> {
    const { cidr, gateway } = this.v4;
    const last = cidr.network + cidr.size - 2n;
    for (let n = cidr.network + 1n; n <= last; n++) if (n !== gateway) yield n;
  }

  /** How many IPv4 addresses the pool holds. */
  poolSize(): number {
    const { cidr, gateway } = this.v4;
    const hosts = cidr.size - 2n;
    const gwInside = gateway > cidr.network && gateway < cidr.network + cidr.size - 1n;
    return Number(hosts - (gwInside ? 1n : 0n));
  }

  /** True when a requested IPv4 fixed IP is one the pool could give. */
  inPool(address: string): boolean {
    const { cidr, gateway } = this.v4;
    if (!cidrContains(cidr, address)) return false;
    const n = ipToBigInt(address);
    return n !== cidr.network && n !== cidr.network + cidr.size - 1n && n !== gateway;
  }

  /** The text of an IPv4 pool address. */
  v4Text(n: bigint): string {
    return bigIntToIp(n, 4);
  }
}
