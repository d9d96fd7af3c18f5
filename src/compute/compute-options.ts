import { float, int, list, str } from '../platform/config/options.js';
import { flatNetworkOptions } from './flat-network-options.js';

/** Nova's default [filter_scheduler] enabled_filters. */
export const DEFAULT_FILTERS = [
  'AvailabilityZoneFilter',
  'ComputeFilter',
  'ComputeCapabilitiesFilter',
  'ImagePropertiesFilter',
  'ServerGroupAntiAffinityFilter',
  'ServerGroupAffinityFilter',
] as const;

/**
 * `[api_database]`: where the compute API tables live. The API owns them; the scheduler reads
 * aggregates and the conductor request specs there, so every compute part declares it.
 */
export const apiDatabaseOptions = {
  connection: str(
    '${database.connection}',
    'Database URL of the compute API tables (flavors, key pairs, quotas, aggregates, server groups).',
  ),
};

/** `[DEFAULT] default_availability_zone`: read by the API (zones, servers) and the scheduler. */
export const defaultAvailabilityZoneOption = str(
  'nova',
  'Availability zone of compute hosts that no aggregate puts in a zone.',
);

/**
 * Options the compute parts share, with nova.conf names and defaults. One object, so that the
 * API, conductor, scheduler and agent modules can each include it (or its option objects) in
 * their schemas: one definition of each option.
 */
export const computeSharedOptions = {
  api_database: apiDatabaseOptions,
  DEFAULT: {
    default_availability_zone: defaultAvailabilityZoneOption,
    cpu_allocation_ratio: float(4.0, 'Virtual CPUs per physical CPU reported to Placement.', {
      min: 0,
    }),
    ram_allocation_ratio: float(1.0, 'Virtual RAM per physical RAM reported to Placement.', {
      min: 0,
    }),
    disk_allocation_ratio: float(1.0, 'Virtual disk per physical disk reported to Placement.', {
      min: 0,
    }),
    reserved_host_memory_mb: int(512, 'Memory reserved for the host, not given to instances.', {
      min: 0,
    }),
    reserved_host_disk_mb: int(0, 'Disk reserved for the host, in MiB.', { min: 0 }),
    reserved_host_cpus: int(0, 'CPUs reserved for the host.', { min: 0 }),
    instance_build_timeout: int(
      0,
      'Seconds a build may take before it fails (0: no limit but the reaper default).',
      {
        min: 0,
      },
    ),
    compute_driver: str('fake.FakeDriver', 'The virt driver of compute hosts (fake.FakeDriver).'),
  },
  scheduler: {
    max_attempts: int(3, 'Hosts tried for one build, the first included.', { min: 1 }),
    max_placement_results: int(1000, 'Allocation candidates asked of Placement per request.', {
      min: 1,
    }),
  },
  filter_scheduler: {
    enabled_filters: list([...DEFAULT_FILTERS], 'Filters the scheduler runs, in order.'),
    host_subset_size: int(1, 'Pick randomly among this many best hosts.', { min: 1 }),
    ram_weight_multiplier: float(1.0, 'Weight of free RAM.'),
    cpu_weight_multiplier: float(1.0, 'Weight of free vCPUs.'),
    disk_weight_multiplier: float(1.0, 'Weight of free disk.'),
    soft_affinity_weight_multiplier: float(
      1.0,
      'Weight of soft-affinity group members on a host.',
      { min: 0 },
    ),
    soft_anti_affinity_weight_multiplier: float(1.0, 'Weight of soft-anti-affinity spreading.', {
      min: 0,
    }),
  },
  flat_network: flatNetworkOptions,
} as const;
