import type { HostWeigher } from './host-weigher.js';

/** RAMWeigher: prefers hosts with more free RAM (spreading); a negative multiplier stacks. */
export function ramWeigher(multiplier: number): HostWeigher {
  return {
    name: 'RAMWeigher',
    multiplier,
    weigh: (h) => h.memoryMbTotal * h.ramAllocationRatio - h.memoryMbUsed,
  };
}

/** CPUWeigher: prefers hosts with more free vCPUs. */
export function cpuWeigher(multiplier: number): HostWeigher {
  return {
    name: 'CPUWeigher',
    multiplier,
    weigh: (h) => h.vcpusTotal * h.cpuAllocationRatio - h.vcpusUsed,
  };
}

/** DiskWeigher: prefers hosts with more free local disk. */
export function diskWeigher(multiplier: number): HostWeigher {
  return {
    name: 'DiskWeigher',
    multiplier,
    weigh: (h) => h.diskGbTotal * h.diskAllocationRatio - h.diskGbUsed,
  };
}

/** ServerGroupSoftAffinityWeigher: for soft-affinity groups, prefers hosts with more members. */
export function softAffinityWeigher(multiplier: number): HostWeigher {
  return {
    name: 'ServerGroupSoftAffinityWeigher',
    multiplier,
    weigh: (h, req) =>
      req.group?.policy === 'soft-affinity' ? (req.group.membersPerHost[h.host] ?? 0) : 0,
  };
}

/** ServerGroupSoftAntiAffinityWeigher: for soft-anti-affinity groups, prefers hosts with fewer members. */
export function softAntiAffinityWeigher(multiplier: number): HostWeigher {
  return {
    name: 'ServerGroupSoftAntiAffinityWeigher',
    multiplier,
    weigh: (h, req) =>
      req.group?.policy === 'soft-anti-affinity' ? -(req.group.membersPerHost[h.host] ?? 0) : 0,
  };
}
