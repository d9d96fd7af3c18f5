export { DEFAULT_FILTERS } from '../../compute-options.js';
import { availabilityZoneFilter } from './availability-zone-filter.js';
import { computeCapabilitiesFilter } from './compute-capabilities-filter.js';
import { computeFilter } from './compute-filter.js';
import type { HostFilter } from './host-filter.js';
import { imagePropertiesFilter } from './image-properties-filter.js';
import {
  serverGroupAffinityFilter,
  serverGroupAntiAffinityFilter,
} from './server-group-filters.js';

/** Every filter Stratus has, by the name `[filter_scheduler] enabled_filters` uses. */
export const ALL_FILTERS: ReadonlyMap<string, HostFilter> = new Map(
  [
    availabilityZoneFilter,
    computeFilter,
    computeCapabilitiesFilter,
    imagePropertiesFilter,
    serverGroupAntiAffinityFilter,
    serverGroupAffinityFilter,
  ].map((f) => [f.name, f]),
);
