import { isIPv4, isIPv6 } from 'node:net';

/**
 * IP address arithmetic for the flat network: addresses as bigints so IPv4 and IPv6 share one
 * code path, CIDR parsing, and the canonical text forms Neutron shows (dotted quad, RFC 5952).
 */

/** A parsed CIDR: its version, first address (the network) and prefix length. */
export interface Cidr {
  version: 4 | 6;
  network: bigint;
  prefix: number;
  /** How many addresses the block holds. */
  size: bigint;
  /** The text form, normalized (`10.0.0.0/24`, `fd00::/64`). */
  text: string;
}

/** An address's version, or null when the text is no IP address. */
export function ipVersion(text: string): 4 | 6 | null {
  return isIPv4(text) ? 4 : isIPv6(text) ? 6 : null;
}

/** The numeric value of an IPv4 or IPv6 address (throws on anything else). */
export function ipToBigInt(text: string): bigint {
  if (isIPv4(text)) {
    return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
  }
  if (!isIPv6(text)) throw new Error(`'${text}' is not an IP address`);
  let s = text.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = ipToBigInt(v4[1]!);
    s = `${s.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

/** The canonical text of an address of the given version. */
export function bigIntToIp(n: bigint, version: 4 | 6): string {
  if (version === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 0xffn)).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) => (n >> BigInt(112 - 16 * i)) & 0xffffn);
  // RFC 5952: the longest run (of two or more) of zero groups becomes `::`, the first on a tie.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0n) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0n) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The canonical text of an address (so `10.0.0.05`-style or uppercase IPv6 compare equal). */
export function canonicalIp(text: string): string {
  const v = ipVersion(text);
  if (v === null) throw new Error(`'${text}' is not an IP address`);
  return bigIntToIp(ipToBigInt(text), v);
}

/** Parses `address/prefix`; throws an Error saying what is wrong. */
export function parseCidr(text: string): Cidr {
  const [addr = '', len, extra] = text.trim().split('/');
  const version = ipVersion(addr);
  const bits = version === 4 ? 32 : 128;
  if (version === null || len === undefined || extra !== undefined || !/^\d+$/.test(len)) {
    throw new Error(`'${text}' is not a CIDR (address/prefix)`);
  }
  const prefix = Number(len);
  if (prefix > bits) throw new Error(`'${text}' has a prefix longer than ${bits} bits`);
  const host = bits - prefix;
  const network = (ipToBigInt(addr) >> BigInt(host)) << BigInt(host);
  return {
    version,
    network,
    prefix,
    size: 1n << BigInt(host),
    text: `${bigIntToIp(network, version)}/${prefix}`,
  };
}

/** True when the address (text) is inside the block. */
export function cidrContains(cidr: Cidr, address: string): boolean {
  if (ipVersion(address) !== cidr.version) return false;
  const n = ipToBigInt(address);
  return n >= cidr.network && n < cidr.network + cidr.size;
}

/** The modified EUI-64 address of a MAC in an IPv6 /64 (SLAAC, as Neutron computes it). */
export function eui64Address(cidr: Cidr, mac: string): bigint {
  const bytes = mac.split(':').map((b) => Number.parseInt(b, 16));
  bytes[0] = bytes[0]! ^ 0x02;
  const iid = [...bytes.slice(0, 3), 0xff, 0xfe, ...bytes.slice(3)].reduce(
    (acc, b) => (acc << 8n) | BigInt(b),
    0n,
  );
  return cidr.network | iid;
}
