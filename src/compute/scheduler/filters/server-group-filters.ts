import type { HostFilter } from './host-filter.js';

/**
 * ServerGroupAntiAffinityFilter: for an `anti-affinity` group, the host has fewer of the
 * group's members than `max_server_per_host` allows (1 unless the 2.64 rule says otherwise).
 */
export const serverGroupAntiAffinityFilter: HostFilter = {
  name: 'ServerGroupAntiAffinityFilter',
  passes: (host, req) => {
    const g = req.group;
    if (!g || g.policy !== 'anti-affinity') return true;
    const max = g.rules.max_server_per_host ?? 1;
    return (g.membersPerHost[host.host] ?? 0) < max;
  },
};

/** ServerGroupAffinityFilter: for an `affinity` group with members, only their host passes. */
export const serverGroupAffinityFilter: HostFilter = {
  name: 'ServerGroupAffinityFilter',
  passes: (host, req) => {
    const g = req.group;
    if (!g || g.policy !== 'affinity' || g.hosts.length === 0) return true;
    return g.hosts.includes(host.host);
  },
};
