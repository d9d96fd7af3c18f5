import { bool, int, list, port, str, type ConfigSchema } from '../platform/config/options.js';

/** The disk formats Glance accepts by default ([image_format] disk_formats). */
export const DEFAULT_DISK_FORMATS = [
  'ami',
  'ari',
  'aki',
  'vhd',
  'vhdx',
  'vmdk',
  'raw',
  'qcow2',
  'vdi',
  'iso',
  'ploop',
] as const;

/** The container formats Glance accepts by default ([image_format] container_formats). */
export const DEFAULT_CONTAINER_FORMATS = [
  'ami',
  'ari',
  'aki',
  'bare',
  'ovf',
  'ova',
  'docker',
  'compressed',
] as const;

/**
 * The image service's config sections. Option names follow glance-api.conf where the option
 * exists upstream (image_size_cap, user_storage_quota, limit_param_default, ...); Glance keeps
 * those in [DEFAULT], Stratus in [image] because every service shares one config file.
 * `image_count_total` is named after Glance's unified-limits resource, as Glance has no legacy
 * count quota.
 */
export function imageOptions() {
  return {
    image: {
      bind_host: str('0.0.0.0', 'Address the image API listens on.'),
      bind_port: port(9292, 'Port the image API listens on.'),
      public_endpoint: str(
        '',
        'URL shown in the version document (default: taken from the request Host header).',
      ),
      limit_param_default: int(25, 'Images returned by a list request without a limit.', {
        min: 1,
      }),
      api_limit_max: int(1000, 'Largest page size a list request may ask for.', { min: 1 }),
      image_size_cap: int(1099511627776, 'Largest image a user may upload, in bytes.', {
        min: 1,
      }),
      user_storage_quota: str(
        '0',
        'Image bytes a project may store (B, KB, MB, GB or TB suffix; 0 = unlimited).',
      ),
      image_count_total: int(
        -1,
        'Images a project may own, not counting deleted ones (negative = unlimited).',
      ),
      image_member_quota: int(128, 'Members per image (negative = unlimited).'),
      image_property_quota: int(128, 'Additional properties per image (negative = unlimited).'),
      image_tag_quota: int(128, 'Tags per image (negative = unlimited).'),
      enabled_import_methods: list(
        ['glance-direct'],
        'Interoperable import methods offered (only glance-direct exists here).',
      ),
      node_staging_uri: str(
        'file://$state_path/image-staging',
        'Where image data is staged for glance-direct import (a file:// URI).',
      ),
    },
    image_database: {
      connection: str('${database.connection}', 'Database URL of the image service.'),
    },
    glance_store: {
      filesystem_store_datadir: str('$state_path/images', 'Directory image data is stored in.'),
    },
    image_format: {
      disk_formats: list(DEFAULT_DISK_FORMATS, "Values accepted for an image's disk_format."),
      container_formats: list(
        DEFAULT_CONTAINER_FORMATS,
        "Values accepted for an image's container_format.",
      ),
      require_image_format_match: bool(
        true,
        'Reject uploads whose content does not match their disk_format.',
      ),
    },
  } satisfies ConfigSchema;
}

/** The image service's typed config sections. */
export type ImageOptions = ReturnType<typeof imageOptions>;
