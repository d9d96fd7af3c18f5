import type { NicRequest } from './network-info.js';

/** A server group as the scheduler sees it. */
export interface ServerGroupInfo {
  uuid: string;
  policy: 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';
  /** Hosts the group's other members are on. */
  hosts: string[];
  /** Members per host, for max_server_per_host. */
  membersPerHost: Record<string, number>;
  rules: { max_server_per_host?: number };
}

/** The flavor as an instance keeps it (Nova embeds it in the instance from 2.47). */
export interface FlavorSnapshot {
  id: string;
  name: string;
  vcpus: number;
  memoryMb: number;
  rootGb: number;
  ephemeralGb: number;
  swapMb: number;
  extraSpecs: Record<string, string>;
  description: string | null;
}

/**
 * Everything needed to (re)schedule a build: what the scheduler reads, and the Placement query
 * it derives from the flavor. Persisted with the instance so a reschedule needs no API state.
 */
export interface RequestSpec {
  projectId: string;
  userId: string;
  flavor: FlavorSnapshot;
  image: { id: string | null; properties: Record<string, unknown> };
  /** Requested zone, if any (several may be comma-separated upstream). */
  availabilityZone: string | null;
  /** Hosts/nodes an admin forced (`az:host:node`). */
  forceHosts: string[];
  forceNodes: string[];
  schedulerHints: Record<string, unknown>;
  /** The server group, if the instance is in one. */
  group: ServerGroupInfo | null;
  numInstances: number;
  /** Placement resources per resource class, e.g. {VCPU: 1, MEMORY_MB: 512, DISK_GB: 1}. */
  resources: Record<string, number>;
  /** Required and forbidden traits (`!TRAIT`) for Placement. */
  requiredTraits: string[];
  /** Aggregate uuid sets for Placement `member_of` (any of each set). */
  memberOf: string[][];
  /**
   * 2.74: the host and/or node an admin asked for (Nova's requested_destination): unlike
   * forced hosts the filters still run, and Placement is asked only about that node's tree.
   */
  requestedDestination?: { host: string | null; node: string | null } | null;
  /** The NICs to create, one per entry (none when absent or empty). */
  networks?: NicRequest[];
  /** Personality files (before 2.57), contents in base64 as the request gave them. */
  injectedFiles?: { path: string; contents: string }[];
}

/** One place an instance may go: a compute host/node and its Placement allocation request. */
export interface Selection {
  host: string;
  nodename: string;
  /** The compute node's resource provider uuid. */
  computeNodeUuid: string;
  /** Placement allocations body to claim on that host: {rp_uuid: {resources: {...}}}. */
  allocations: Record<string, { resources: Record<string, number> }>;
  availabilityZone: string;
}

/** Placement resources a flavor needs (Nova's resources_from_flavor, without overrides). */
export function resourcesFromFlavor(f: FlavorSnapshot): Record<string, number> {
  const res: Record<string, number> = { VCPU: f.vcpus, MEMORY_MB: f.memoryMb };
  const disk = f.rootGb + f.ephemeralGb + Math.ceil(f.swapMb / 1024);
  if (disk > 0) res.DISK_GB = disk;
  // Flavor extra specs `resources:CLASS=N` override or add (0 removes), as upstream.
  for (const [k, v] of Object.entries(f.extraSpecs)) {
    const m = /^resources:([A-Z0-9_]+)$/.exec(k);
    if (!m) continue;
    const n = Number.parseInt(v, 10);
    if (Number.isNaN(n)) continue;
    if (n === 0) delete res[m[1]!];
    else res[m[1]!] = n;
  }
  return res;
}

/** Traits a flavor and image require or forbid (`trait:X=required|forbidden`). */
export function traitsFromFlavorAndImage(
  f: FlavorSnapshot,
  imageProps: Record<string, unknown>,
): string[] {
  const out: string[] = [];
  const add = (key: string, value: unknown) => {
    const m = /^trait:([A-Z0-9_]+)$/.exec(key);
    if (!m) return;
    if (value === 'required') out.push(m[1]!);
    else if (value === 'forbidden') out.push(`!${m[1]}`);
  };
  for (const [k, v] of Object.entries(f.extraSpecs)) add(k, v);
  for (const [k, v] of Object.entries(imageProps)) add(k, v);
  return [...new Set(out)];
}
