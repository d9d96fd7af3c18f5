import type { HostFilter } from './host-filter.js';

/** ComputeFilter: only hosts whose compute service is enabled and up. */
export const computeFilter: HostFilter = {
  name: 'ComputeFilter',
  passes: (host) => host.serviceEnabled && host.serviceUp,
};
