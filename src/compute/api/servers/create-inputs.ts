import type { Kysely } from 'kysely';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  StratusError,
} from '../../../common/errors.js';
import { isAdmin } from '../../../platform/auth/request-context.js';
import type { ApiDatabase } from '../../api-db-tables.js';
import { FlatNetwork } from '../../flat-network.js';
import { canonicalIp, ipVersion } from '../../ip-address.js';
import { fixedIpInUseMessage } from '../../network-errors.js';
import type { NicRequest } from '../../network-info.js';
import type { FlavorSnapshot, ServerGroupInfo } from '../../request-spec.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall } from '../routing/route-spec.js';
import type { BootImage } from './image-lookup.js';
import { ServerPolicy } from './server-policies.js';
import { cellDb } from './server-reads.js';
import type { ServersBackend } from './servers-backend.js';

/**
 * The parts of a create request that need lookups or upstream's extra rules beyond the JSON
 * schema: flavor, image (directly or from a block device mapping), networks, key pair, zone
 * and forced host, server group.
 */

/** The last path segment of an href, or the value itself (upstream's get_id_from_href). */
export function idFromHref(ref: string | number): string {
  const s = String(ref);
  return s.split('?')[0]!.replace(/\/+$/, '').split('/').pop() ?? s;
}

/** The flavor to boot, as the instance will keep it; a 400 when it is missing or disabled. */
export async function resolveFlavor(
  deps: ApiDeps,
  call: ApiCall,
  ref: string | number,
): Promise<FlavorSnapshot> {
  const id = idFromHref(ref);
  const notFound = () =>
    new BadRequestError(`Flavor ${id} could not be found.`, { code: 'compute.flavor_not_found' });
  try {
    const f = await deps.flavors.get(id, {
      isAdmin: isAdmin(call.context),
      projectId: call.context.projectId,
    });
    if (f.disabled) throw notFound();
    return {
      id: f.flavorid,
      name: f.name,
      vcpus: f.vcpus,
      memoryMb: f.memoryMb,
      rootGb: f.rootGb,
      ephemeralGb: f.ephemeralGb,
      swapMb: f.swap,
      extraSpecs: f.extraSpecs,
      description: f.description,
    };
  } catch (err) {
    if (err instanceof NotFoundError) throw notFound();
    throw err;
  }
}

type Bdm = Record<string, unknown>;

/**
 * The image a server boots from: `imageRef`, or the boot (index 0) image of a block device
 * mapping to a local disk. Volumes cannot be honoured without a block storage service, so
 * they are refused with Nova's invalid-BDM 400 rather than silently ignored.
 */
export function bootImageId(call: ApiCall, server: Record<string, unknown>): string {
  const legacy = (server.block_device_mapping as Bdm[] | undefined) ?? [];
  const v2 = (server.block_device_mapping_v2 as Bdm[] | undefined) ?? [];
  if (legacy.length && v2.length) {
    throw new BadRequestError(
      'Using different block_device_mapping syntaxes is not allowed in the same request.',
    );
  }
  if (
    legacy.length ||
    v2.some(
      (b) =>
        b.destination_type === 'volume' ||
        b.source_type === 'volume' ||
        b.source_type === 'snapshot',
    )
  ) {
    call.authorize(ServerPolicy.createAttachVolume, {
      project_id: call.context.projectId,
      user_id: call.context.userId,
    });
    throw new BadRequestError(
      'Block Device Mapping is Invalid: volumes are not supported (no block storage service); only image-backed local disks can be requested.',
      { code: 'compute.invalid_bdm' },
    );
  }
  let fromBdm: string | null = null;
  for (const b of v2) {
    const index = b.boot_index === undefined || b.boot_index === null ? null : Number(b.boot_index);
    if (b.source_type === 'image' && (b.destination_type ?? 'local') === 'local' && index === 0) {
      fromBdm = String(b.uuid ?? b.image_id ?? '');
    } else if (b.source_type === 'image') {
      throw new BadRequestError(
        'Block Device Mapping is Invalid: Mapping image to local is not supported.',
        {
          code: 'compute.invalid_bdm',
        },
      );
    }
  }
  const ref =
    typeof server.imageRef === 'string' && server.imageRef !== ''
      ? idFromHref(server.imageRef)
      : null;
  if (ref) return ref;
  if (fromBdm) return fromBdm;
  throw new BadRequestError('Missing imageRef attribute');
}

/** Upstream's image checks against the flavor; a zero-disk flavor needs the admin-only policy. */
export function checkImageFits(call: ApiCall, image: BootImage, flavor: FlavorSnapshot): void {
  if (image.status !== 'active') {
    throw new BadRequestError(`Image ${image.id} is not active.`, {
      code: 'compute.image_not_active',
    });
  }
  if (image.minRam > flavor.memoryMb) {
    throw new BadRequestError("Flavor's memory is too small for requested image.");
  }
  if (flavor.rootGb === 0) {
    // Nova: image-backed servers on a zero-disk flavor only with the admin policy.
    if (
      !call.can(ServerPolicy.zeroDiskFlavor, {
        project_id: call.context.projectId,
        user_id: call.context.userId,
      })
    ) {
      throw new ForbiddenError(
        'Only volume-backed servers are allowed for flavors with zero disk.',
      );
    }
    return;
  }
  if (image.minDisk > flavor.rootGb) {
    throw new BadRequestError("Flavor's disk is too small for requested image.");
  }
  const bytes = flavor.rootGb * 1024 ** 3;
  if (image.size !== null && image.size > bytes) {
    throw new BadRequestError(
      `Flavor's disk is too small for requested image. Flavor disk is ${bytes} bytes, image is ${image.size} bytes.`,
    );
  }
}

/**
 * The NICs a create asks for, on the flat network that stands in for Neutron: `none` asks for
 * none; `auto`, an absent `networks` before 2.37 and an empty list give one NIC on the flat
 * network (Nova picks the project's only available network); explicit entries must name the
 * flat network, optionally with a free fixed IP of its pool. Ports need a networking service
 * and are refused with Nova's PortNotFound. Every error is the 400 Nova's create gives.
 */
export async function resolveNetworks(
  call: ApiCall,
  backend: ServersBackend,
  networks: unknown,
  maxCount: number,
): Promise<NicRequest[]> {
  if (networks === 'none') return [];
  const net = FlatNetwork.fromSettings(backend.config.flat_network);
  const list =
    networks === undefined || networks === null || networks === 'auto'
      ? []
      : (networks as { uuid?: string; port?: string | null; fixed_ip?: string }[]);
  // Nova checks create:attach_network only when networks were asked for (auto included).
  if (networks === 'auto' || list.length > 0) {
    call.authorize(ServerPolicy.createAttachNetwork, {
      project_id: call.context.projectId,
      user_id: call.context.userId,
    });
  }
  if (list.length === 0) return [{ networkUuid: net.uuid, fixedIp: null }];
  const out: NicRequest[] = [];
  for (const nic of list) {
    if (nic.port) {
      throw new BadRequestError(`Port id ${nic.port} could not be found.`, {
        code: 'compute.port_not_found',
      });
    }
    const id = nic.uuid ?? '';
    if (!UUID.test(id)) {
      throw new BadRequestError(
        `Bad networks format: network uuid is not in proper format (${id})`,
      );
    }
    if (id.toLowerCase() !== net.uuid) {
      throw new BadRequestError(`Network ${id} could not be found.`, {
        code: 'compute.network_not_found',
      });
    }
    let fixedIp: string | null = null;
    if (nic.fixed_ip !== undefined) {
      if (ipVersion(nic.fixed_ip) === null)
        throw new BadRequestError(`Invalid fixed IP address (${nic.fixed_ip})`);
      fixedIp = canonicalIp(nic.fixed_ip);
      if (!net.inPool(fixedIp)) {
        throw new BadRequestError(
          `Invalid input received: Fixed IP ${nic.fixed_ip} is not a valid ip address for network ${id}.`,
          { code: 'compute.invalid_fixed_ip' },
        );
      }
      if (out.some((o) => o.fixedIp === fixedIp)) {
        throw new BadRequestError(`Fixed IP address ${fixedIp} is requested twice.`, {
          code: 'compute.fixed_ip_already_in_use',
        });
      }
      const holder = await cellDb(backend.cellDb)
        .selectFrom('fixed_ips')
        .select('instance_uuid')
        .where('network_uuid', '=', net.uuid)
        .where('address', '=', fixedIp)
        .executeTakeFirst();
      if (holder) {
        throw new BadRequestError(fixedIpInUseMessage(fixedIp, holder.instance_uuid), {
          code: 'compute.fixed_ip_already_in_use',
        });
      }
    }
    out.push({ networkUuid: net.uuid, fixedIp });
  }
  if (maxCount > 1 && out.some((o) => o.fixedIp !== null)) {
    throw new BadRequestError(
      'Failed to launch instances: max_count cannot be greater than 1 if an fixed_ip is specified.',
    );
  }
  return out;
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The key pair's public key, from the caller's key pairs (400 when it is not theirs). */
export async function keyData(
  backend: ServersBackend,
  userId: string,
  name: string,
): Promise<string> {
  const row = await (backend.apiDb.kysely as Kysely<ApiDatabase>)
    .selectFrom('key_pairs')
    .select('public_key')
    .where('user_id', '=', userId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row)
    throw new BadRequestError('Invalid key_name provided.', { code: 'compute.keypair_not_found' });
  return row.public_key;
}

/** A requested zone with an admin's forced host and node (`az:host:node`). */
export interface Placement {
  zone: string | null;
  forceHosts: string[];
  forceNodes: string[];
}

/** Parses `availability_zone` as upstream (`az`, `az:host`, `az:host:node`, `az::node`). */
export async function resolveZone(
  call: ApiCall,
  backend: ServersBackend,
  requested: string | undefined,
): Promise<Placement> {
  if (requested === undefined) return { zone: null, forceHosts: [], forceNodes: [] };
  const [zone = '', host = '', node = ''] = requested.split(':', 3);
  if (requested.split(':').length > 3)
    throw new BadRequestError('Unable to parse availability_zone');
  const out: Placement = {
    zone: zone || null,
    forceHosts: host ? [host] : [],
    forceNodes: node ? [node] : [],
  };
  if (host || node)
    call.authorize(ServerPolicy.createForcedHost, {
      project_id: call.context.projectId,
      user_id: call.context.userId,
    });
  if (out.zone !== null && !(await availableZones(backend)).has(out.zone)) {
    throw new BadRequestError('The requested availability zone is not available', {
      code: 'compute.invalid_az',
    });
  }
  return out;
}

/** Zones that exist: the default zone and every aggregate zone. */
async function availableZones(backend: ServersBackend): Promise<Set<string>> {
  const rows = await (backend.apiDb.kysely as Kysely<ApiDatabase>)
    .selectFrom('aggregate_metadata')
    .select('value')
    .where('key', '=', 'availability_zone')
    .execute();
  return new Set([backend.defaultAvailabilityZone, ...rows.map((r) => r.value)]);
}

/** 2.74: a requested host or node must be a known compute host or node (400 otherwise). */
export async function checkRequestedHost(
  backend: ServersBackend,
  host?: string,
  node?: string,
): Promise<void> {
  const db = cellDb(backend.cellDb);
  if (host !== undefined) {
    const h = await db
      .selectFrom('compute_nodes')
      .select('id')
      .where('host', '=', host)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    if (!h)
      throw new BadRequestError(`Compute host ${host} could not be found.`, {
        code: 'compute.host_not_found',
      });
  }
  if (node !== undefined) {
    let q = db
      .selectFrom('compute_nodes')
      .select('id')
      .where('hypervisor_hostname', '=', node)
      .where('deleted', '=', 0);
    if (host !== undefined) q = q.where('host', '=', host);
    if (!(await q.executeTakeFirst())) {
      throw new BadRequestError(`Compute host ${host ?? node} could not be found.`, {
        code: 'compute.host_not_found',
      });
    }
  }
}

/** The server group of a `group` hint, with where its members run (for the group filters). */
export async function resolveGroup(
  backend: ServersBackend,
  projectId: string | null,
  hint: unknown,
): Promise<(ServerGroupInfo & { id: number }) | null> {
  if (hint === undefined) return null;
  const uuid = Array.isArray(hint) ? String(hint[0]) : String(hint);
  const api = backend.apiDb.kysely as Kysely<ApiDatabase>;
  const group = await api
    .selectFrom('instance_groups')
    .selectAll()
    .where('uuid', '=', uuid)
    .executeTakeFirst();
  if (!group || (projectId !== null && group.project_id !== projectId)) {
    throw new BadRequestError(`Instance group ${uuid} could not be found.`, {
      code: 'compute.group_not_found',
    });
  }
  const policy = await api
    .selectFrom('instance_group_policy')
    .selectAll()
    .where('group_id', '=', group.id)
    .executeTakeFirst();
  const members = await api
    .selectFrom('instance_group_member')
    .select('instance_uuid')
    .where('group_id', '=', group.id)
    .execute();
  const membersPerHost: Record<string, number> = {};
  if (members.length) {
    const hosts = await cellDb(backend.cellDb)
      .selectFrom('instances')
      .select('host')
      .where(
        'uuid',
        'in',
        members.map((m) => m.instance_uuid),
      )
      .where('deleted', '=', 0)
      .execute();
    for (const h of hosts) if (h.host) membersPerHost[h.host] = (membersPerHost[h.host] ?? 0) + 1;
  }
  let rules: ServerGroupInfo['rules'] = {};
  try {
    rules = policy?.rules ? (JSON.parse(policy.rules) as ServerGroupInfo['rules']) : {};
  } catch (err) {
    if (!(err instanceof StratusError)) rules = {};
  }
  return {
    id: group.id,
    uuid: group.uuid,
    policy: (policy?.policy ?? 'anti-affinity') as ServerGroupInfo['policy'],
    hosts: Object.keys(membersPerHost),
    membersPerHost,
    rules,
  };
}

/** Nova's sanitize_hostname: lowercase letters, digits and dashes, at most 63 characters. */
export function sanitizeHostname(name: string, fallback: string): string {
  let h = name
    .toLowerCase()
    .replace(/[ _]/g, '-')
    .replace(/[^\w.-]+/g, '')
    .replace(/_/g, '');
  h = h.slice(0, 63).replace(/^[.-]+|[.-]+$/g, '');
  return h || fallback;
}
