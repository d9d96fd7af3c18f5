import type { HostFilter } from './host-filter.js';

/** AvailabilityZoneFilter: the host is in the requested zone (any of a comma-separated list). */
export const availabilityZoneFilter: HostFilter = {
  name: 'AvailabilityZoneFilter',
  passes: (host, req) => {
    if (!req.availabilityZone) return true;
    const zones = req.availabilityZone.split(',').map((z) => z.trim());
    return zones.includes(host.availabilityZone);
  },
};
