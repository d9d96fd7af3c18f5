import type { InstanceRow } from '../../db/instance-store.js';
import { addressesByNetwork, parseNetworkInfo } from '../../network-info.js';
import { serverStatus, VmState, type TaskState } from '../../vm-states.js';
import type { LinkBuilder } from '../http/link-builder.js';
import { field, VersionedView, type ViewField } from '../views/versioned-view.js';
import {
  flavorOf,
  hostId,
  instanceName,
  isoTime,
  naiveIso,
  requestSpecOf,
  type ServerRecord,
} from './server-record.js';

/** What a server body is rendered from: the record and what the caller may see. */
export interface ServerViewSource {
  server: ServerRecord;
  links: LinkBuilder;
  isAdmin: boolean;
  /** `os-extended-server-attributes` allowed (admin by default). */
  extended: boolean;
  /** 2.47: the flavor's extra specs allowed. */
  extraSpecs: boolean;
  /** 2.16: the host status when the caller may see it, else undefined (field absent). */
  hostStatus: string | undefined;
  /** 2.71: server groups, on show/update/rebuild only (undefined elsewhere). */
  serverGroups: string[] | undefined;
  /** 2.3: user_data among the extended attributes. */
  showUserData: boolean;
}

/** Statuses whose body carries `progress` (upstream's _progress_statuses). */
const PROGRESS_STATUSES = new Set([
  'ACTIVE',
  'BUILD',
  'REBUILD',
  'RESIZE',
  'VERIFY_RESIZE',
  'MIGRATING',
]);
/** Statuses whose body carries `fault`. */
const FAULT_STATUSES = new Set(['ERROR', 'DELETED']);

/** The API status of an instance row (DELETED once deleted, as upstream). */
export function statusOf(row: InstanceRow): string {
  if (row.deleted) return 'DELETED';
  return serverStatus(row.vm_state as VmState, row.task_state as TaskState | null);
}

const r = (s: ServerViewSource) => s.server.row;
const status = (s: ServerViewSource) => statusOf(r(s));
const ext = (s: ServerViewSource) => s.extended;

function image(s: ServerViewSource, withProperties: boolean): unknown {
  const ref = r(s).image_ref;
  // Volume-backed servers show an empty string, as upstream.
  if (!ref) return '';
  const id = ref.split('/').pop()!;
  const out: Record<string, unknown> = {
    id,
    links: [{ rel: 'bookmark', href: s.links.bookmark('images', id) }],
  };
  // Nova 2.98: the image properties recorded at boot.
  if (withProperties) {
    const meta = JSON.parse(r(s).image_meta) as { properties?: Record<string, unknown> };
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(meta.properties ?? {})) if (v !== null) props[k] = v;
    out.properties = props;
  }
  return out;
}

function flavor(s: ServerViewSource, embedded: boolean): unknown {
  const f = flavorOf(r(s));
  if (!embedded)
    return { id: f.id, links: [{ rel: 'bookmark', href: s.links.bookmark('flavors', f.id) }] };
  // Nova 2.47: the flavor embedded as the instance was booted with it.
  const out: Record<string, unknown> = {
    vcpus: f.vcpus,
    ram: f.memoryMb,
    disk: f.rootGb,
    ephemeral: f.ephemeralGb,
    swap: f.swapMb,
    original_name: f.name,
  };
  if (s.extraSpecs) out.extra_specs = f.extraSpecs;
  return out;
}

function fault(s: ServerViewSource): unknown {
  const f = s.server.fault!;
  const out: Record<string, unknown> = {
    code: f.code,
    created: isoTime(f.created_at),
    message: f.message,
  };
  // Details of a 500 (a traceback upstream) only for admins.
  if (f.details && (s.isAdmin || f.code !== 500)) out.details = f.details;
  return out;
}

/** What the brief form renders from. */
export interface BriefSource {
  row: Pick<InstanceRow, 'uuid' | 'display_name'>;
  links: LinkBuilder;
}

/** The brief form of GET /servers. */
export const serverBriefView = new VersionedView<BriefSource>([
  field('id', [], (s) => s.row.uuid),
  field('name', [], (s) => s.row.display_name),
  field('links', [], (s) => s.links.member('servers', s.row.uuid)),
]);

const EXTENDED_BASE: ViewField<ServerViewSource>[] = [
  field('OS-EXT-SRV-ATTR:host', [], (s) => r(s).host, ext),
  field('OS-EXT-SRV-ATTR:instance_name', [], (s) => instanceName(r(s)), ext),
  field('OS-EXT-SRV-ATTR:hypervisor_hostname', [], (s) => r(s).node, ext),
];
const EXTENDED_23: ViewField<ServerViewSource>[] = [
  field('OS-EXT-SRV-ATTR:kernel_id', ['2.3'], () => '', ext),
  field('OS-EXT-SRV-ATTR:launch_index', ['2.3'], (s) => r(s).launch_index, ext),
  field('OS-EXT-SRV-ATTR:ramdisk_id', ['2.3'], () => '', ext),
  field('OS-EXT-SRV-ATTR:reservation_id', ['2.3'], (s) => r(s).reservation_id, ext),
  field('OS-EXT-SRV-ATTR:root_device_name', ['2.3'], (s) => r(s).root_device_name, ext),
  field(
    'OS-EXT-SRV-ATTR:user_data',
    ['2.3'],
    (s) => r(s).user_data,
    (s) => s.extended && s.showUserData,
  ),
];

/** The full form of GET /servers/{id}, /servers/detail and of update. */
export const serverView = new VersionedView<ServerViewSource>([
  field('accessIPv4', [], (s) => r(s).access_ip_v4 ?? ''),
  field('accessIPv6', [], (s) => r(s).access_ip_v6 ?? ''),
  // Nova hides addresses while the server is building; otherwise its NICs by network.
  field('addresses', [], (s) =>
    r(s).vm_state === VmState.BUILDING
      ? {}
      : addressesByNetwork(parseNetworkInfo(r(s).network_info), true),
  ),
  field('created', [], (s) => isoTime(r(s).created_at)),
  field('flavor', ['2.0', '2.46'], (s) => flavor(s, false)),
  field('flavor', ['2.47'], (s) => flavor(s, true)),
  field('hostId', [], (s) => hostId(r(s).host, r(s).project_id)),
  field('id', [], (s) => r(s).uuid),
  field('image', ['2.0', '2.97'], (s) => image(s, false)),
  field('image', ['2.98'], (s) => image(s, true)),
  field('links', [], (s) => s.links.member('servers', r(s).uuid)),
  field('metadata', [], (s) => s.server.metadata),
  field('name', [], (s) => r(s).display_name),
  field('status', [], status),
  field('tenant_id', [], (s) => r(s).project_id),
  field('user_id', [], (s) => r(s).user_id),
  // Nova's isotime(None) is "now"; an instance never updated shows its creation time.
  field('updated', [], (s) => isoTime(r(s).updated_at ?? r(s).created_at)),
  field('OS-DCF:diskConfig', [], () => 'MANUAL'),
  field('fault', [], fault, (s) => FAULT_STATUSES.has(status(s)) && s.server.fault !== null),
  field(
    'progress',
    [],
    (s) => r(s).progress,
    (s) => PROGRESS_STATUSES.has(status(s)),
  ),
  field('OS-EXT-AZ:availability_zone', [], (s) => r(s).availability_zone ?? ''),
  field('config_drive', [], (s) => r(s).config_drive),
  field('key_name', [], (s) => r(s).key_name),
  field('OS-SRV-USG:launched_at', [], (s) => naiveIso(r(s).launched_at)),
  field('OS-SRV-USG:terminated_at', [], (s) => naiveIso(r(s).terminated_at)),
  ...EXTENDED_BASE,
  field('OS-EXT-SRV-ATTR:hostname', ['2.3', '2.89'], (s) => r(s).hostname, ext),
  // Nova 2.90: the hostname is shown to everyone, not only with the extended attributes.
  field('OS-EXT-SRV-ATTR:hostname', ['2.90'], (s) => r(s).hostname),
  ...EXTENDED_23,
  field('OS-EXT-STS:task_state', [], (s) => r(s).task_state),
  field('OS-EXT-STS:vm_state', [], (s) => r(s).vm_state),
  field('OS-EXT-STS:power_state', [], (s) => r(s).power_state),
  // No block storage: nothing is ever attached.
  field('os-extended-volumes:volumes_attached', [], () => []),
  field('locked', ['2.9'], (s) => Boolean(r(s).locked_by)),
  field(
    'host_status',
    ['2.16'],
    (s) => s.hostStatus,
    (s) => s.hostStatus !== undefined,
  ),
  field('description', ['2.19'], (s) => r(s).display_description),
  field('tags', ['2.26'], (s) => s.server.tags),
  field('trusted_image_certificates', ['2.63'], (s) =>
    r(s).trusted_certs ? (JSON.parse(r(s).trusted_certs!) as string[]) : null,
  ),
  field(
    'server_groups',
    ['2.71'],
    (s) => s.serverGroups,
    (s) => s.serverGroups !== undefined,
  ),
  field('locked_reason', ['2.73'], (s) => r(s).locked_reason),
  field('pinned_availability_zone', ['2.96'], (s) => requestSpecOf(r(s))?.availabilityZone ?? null),
  field('scheduler_hints', ['2.100'], (s) => requestSpecOf(r(s))?.schedulerHints ?? {}),
]);
