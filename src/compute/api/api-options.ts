import {
  bool,
  choice,
  int,
  optionalStr,
  port,
  str,
  type ConfigValues,
} from '../../platform/config/options.js';
import type { PlatformOptions } from '../../platform/config/platform-options.js';
import { apiDatabaseOptions, defaultAvailabilityZoneOption } from '../compute-options.js';
import { flatNetworkOptions } from '../flat-network-options.js';

function quotaLimit(def: number, help: string) {
  return int(def, `${help} (-1: unlimited).`, { min: -1 });
}

/**
 * The compute API's config sections, with nova.conf's names and defaults: where it listens,
 * where the API database lives, the `[api]` paging and link options, the availability zone
 * names, and the default quotas of `[quota]`.
 */
export function apiOptions() {
  return {
    DEFAULT: {
      osapi_compute_listen: str('0.0.0.0', 'Address the compute API listens on.'),
      osapi_compute_listen_port: port(8774, 'Port the compute API listens on.'),
      // The same option object as the other compute parts' (compute-options.ts).
      default_availability_zone: defaultAvailabilityZoneOption,
      instance_usage_audit_period: str(
        'month',
        'Period of the instance usage audit: hour, day, month or year, optionally @offset.',
      ),
      internal_service_availability_zone: str(
        'internal',
        'Availability zone shown for services other than compute (hidden from users).',
      ),
    },
    api_database: apiDatabaseOptions,
    api: {
      max_limit: int(1000, 'Most items a single list response returns.', { min: 0 }),
      compute_link_prefix: optionalStr(
        'Base URL (scheme, host, leading path) of links in compute API responses, e.g. behind a proxy.',
      ),
      glance_link_prefix: optionalStr('Base URL of image links in compute API responses.'),
    },
    quota: {
      instances: quotaLimit(10, 'Servers per project'),
      cores: quotaLimit(20, 'Server cores per project'),
      ram: quotaLimit(51200, 'Megabytes of server RAM per project'),
      metadata_items: quotaLimit(128, 'Metadata items per server'),
      injected_files: quotaLimit(5, 'Injected files per server'),
      injected_file_content_bytes: quotaLimit(10240, 'Bytes of content per injected file'),
      injected_file_path_length: quotaLimit(255, 'Characters of an injected file path'),
      key_pairs: quotaLimit(100, 'Key pairs per user'),
      server_groups: quotaLimit(10, 'Server groups per project'),
      server_group_members: quotaLimit(10, 'Servers per server group'),
      driver: choice(
        ['nova.quota.DbQuotaDriver', 'nova.quota.NoopQuotaDriver'] as const,
        'nova.quota.DbQuotaDriver',
        'Quota driver: limits from the database and these defaults, or no limits at all.',
      ),
      recheck_quota: bool(
        true,
        'Check quota again after creating a resource, undoing it on a race.',
      ),
    },
    // The same option objects as the compute parts' (one definition, read by both).
    flat_network: flatNetworkOptions,
  };
}

/** The compute API's own sections. */
export type ApiOptions = ReturnType<typeof apiOptions>;

/** The whole typed config the compute API reads. */
export type ApiConfig = ConfigValues<PlatformOptions & ApiOptions>;
