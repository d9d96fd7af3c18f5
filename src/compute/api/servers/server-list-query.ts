import { Versioned } from '../microversion/versioned.js';
import { multiParams, paginationParams, querySchema } from '../validation/parameter-types.js';

/**
 * Query strings of GET /servers and /servers/detail by microversion (upstream's index_query
 * family): open until 2.75, where unknown parameters become a 400.
 */

const common = multiParams();
const regex = multiParams({ type: 'string', format: 'regex' });

/** Sort keys upstream accepts and then ignores (columns it will not sort on). */
export const IGNORED_SORT_KEYS = [
  'architecture',
  'cell_name',
  'cleaned',
  'default_ephemeral_device',
  'default_swap_device',
  'deleted',
  'deleted_at',
  'disable_terminate',
  'ephemeral_gb',
  'ephemeral_key_uuid',
  'id',
  'key_data',
  'launched_on',
  'locked',
  'memory_mb',
  'os_type',
  'reservation_id',
  'root_gb',
  'shutdown_terminate',
  'user_data',
  'vcpus',
  'vm_mode',
];

/** Sort keys upstream sorts on. */
export const SORT_KEYS = [
  'access_ip_v4',
  'access_ip_v6',
  'auto_disk_config',
  'availability_zone',
  'config_drive',
  'created_at',
  'display_description',
  'display_name',
  'host',
  'hostname',
  'image_ref',
  'instance_type_id',
  'kernel_id',
  'key_name',
  'launch_index',
  'launched_at',
  'locked_by',
  'node',
  'power_state',
  'progress',
  'project_id',
  'ramdisk_id',
  'root_device_name',
  'task_state',
  'terminated_at',
  'updated_at',
  'user_id',
  'uuid',
  'vm_state',
];

const JOINED = [
  'block_device_mapping',
  'services',
  'metadata',
  'system_metadata',
  'info_cache',
  'security_groups',
  'pci_devices',
];

function index(version: 'v21' | 'v226' | 'v266' | 'v273' | 'v275'): object {
  const at = (v: string) =>
    ['v21', 'v226', 'v266', 'v273', 'v275'].indexOf(v) <=
    ['v21', 'v226', 'v266', 'v273', 'v275'].indexOf(version);
  const sortKeys =
    version === 'v275'
      ? [...SORT_KEYS, 'locked']
      : at('v273')
        ? [...SORT_KEYS, ...IGNORED_SORT_KEYS]
        : [...SORT_KEYS, ...IGNORED_SORT_KEYS];
  const props: Record<string, unknown> = {
    user_id: common,
    project_id: common,
    tenant_id: common,
    launch_index: common,
    image_ref: common,
    image: common,
    kernel_id: regex,
    ramdisk_id: regex,
    hostname: regex,
    key_name: regex,
    power_state: regex,
    vm_state: common,
    task_state: common,
    host: common,
    node: regex,
    flavor: regex,
    reservation_id: regex,
    launched_at: regex,
    terminated_at: regex,
    availability_zone: regex,
    name: regex,
    display_name: regex,
    description: regex,
    display_description: regex,
    locked_by: regex,
    uuid: common,
    root_device_name: regex,
    config_drive: regex,
    access_ip_v4: regex,
    access_ip_v6: regex,
    auto_disk_config: regex,
    progress: regex,
    sort_key: multiParams({ type: 'string', enum: sortKeys }),
    sort_dir: common,
    all_tenants: common,
    soft_deleted: common,
    deleted: common,
    status: common,
    'changes-since': multiParams({ type: 'string', format: 'date-time' }),
    ip: regex,
    ip6: regex,
    created_at: regex,
    ...Object.fromEntries(JOINED.map((k) => [k, common])),
    ...paginationParams,
  };
  if (at('v226'))
    Object.assign(props, {
      tags: regex,
      'tags-any': regex,
      'not-tags': regex,
      'not-tags-any': regex,
    });
  if (at('v266')) props['changes-before'] = multiParams({ type: 'string', format: 'date-time' });
  if (at('v273')) props.locked = common;
  return {
    ...(querySchema(props, version !== 'v275') as object),
    patternProperties: { '^_': common },
  };
}

/** GET /servers and /servers/detail, by microversion. */
export const serverListQueries = new Versioned<object>([
  [['2.0', '2.25'], index('v21')],
  [['2.26', '2.65'], index('v226')],
  [['2.66', '2.72'], index('v266')],
  [['2.73', '2.74'], index('v273')],
  [['2.75'], index('v275')],
]);

/** GET /servers/{id}: parameters ignored until 2.102, then refused. */
export const serverShowQueries = new Versioned<object>([
  [['2.0', '2.101'], querySchema({}, true)],
  [['2.102'], querySchema({}, false)],
]);
