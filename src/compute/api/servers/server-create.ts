import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { BadRequestError } from '../../../common/errors.js';
import { now } from '../../../platform/db/timestamps.js';
import type { ApiDatabase } from '../../api-db-tables.js';
import { lockForTransaction } from '../../../platform/db/transaction-lock.js';
import type { CellDatabase } from '../../db/cell-tables.js';
import type { NewInstance } from '../../db/instance-store.js';
import {
  resourcesFromFlavor,
  traitsFromFlavorAndImage,
  type RequestSpec,
  type ServerGroupInfo,
} from '../../request-spec.js';
import { TaskState, VmState } from '../../vm-states.js';
import { parseBool } from '../routes/parse-bool.js';
import { ApiReply } from '../routing/api-reply.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall } from '../routing/route-spec.js';
import {
  bootImageId,
  checkImageFits,
  resolveNetworks,
  checkRequestedHost,
  keyData,
  resolveFlavor,
  resolveGroup,
  resolveZone,
  sanitizeHostname,
} from './create-inputs.js';
import { CellInstanceUsageCounter, countInstances } from './instance-usage-counter.js';
import { checkInstanceQuota, instanceLimits, instancesThatFit } from './server-quota.js';
import { ServerPolicy } from './server-policies.js';
import type { ServersBackend } from './servers-backend.js';
import {
  absoluteLimits,
  checkInjectedFiles,
  checkMetadataQuota,
  checkUserData,
} from './create-limits.js';

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomText(n: number, alphabet: string): string {
  const bytes = randomBytes(n);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Nova's reservation id: `r-` and eight random characters. */
function reservationId(): string {
  return `r-${randomText(8, ALPHANUM)}`;
}

/** A generated admin password, as Nova's default of twelve characters. */
function adminPassword(): string {
  return randomText(12, 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789');
}

/**
 * POST /servers: validates what the schema cannot, checks quota, writes the instances (and
 * their `create` actions) in one transaction that first rechecks quota under a per-project lock,
 * so that racing requests cannot together exceed a limit, then casts the build to the conductor.
 */
export async function createServers(
  deps: ApiDeps,
  backend: ServersBackend,
  call: ApiCall,
): Promise<unknown> {
  const ctx = call.context;
  const projectId = ctx.projectId!;
  const userId = ctx.userId!;
  const target = { project_id: projectId, user_id: userId };
  call.authorize(ServerPolicy.create, target);
  const v = call.version;
  const body = call.body as Record<string, any>;
  const server = body.server as Record<string, any>;
  const hints = (body['os:scheduler_hints'] ?? body['OS-SCH-HNT:scheduler_hints'] ?? {}) as Record<
    string,
    unknown
  >;
  const name = v.legacy ? String(server.name).trim() : String(server.name);

  const min = Number(server.min_count ?? 1);
  const max = Number(server.max_count ?? server.min_count ?? 1);
  if (min > max) throw new BadRequestError('min_count must be <= max_count');
  if (server.hostname !== undefined && max > 1) {
    throw new BadRequestError(
      'Unable to set hostname when creating multiple instances (max_count > 1).',
    );
  }

  const flavor = await resolveFlavor(deps, call, server.flavorRef);
  const imageId = bootImageId(call, server);
  const image = await backend.images.get(imageId, ctx.authToken);
  checkImageFits(call, image, flavor);
  const nics = await resolveNetworks(call, backend, server.networks, max);
  const keyName =
    server.key_name === undefined
      ? null
      : v.legacy
        ? String(server.key_name).trim()
        : String(server.key_name);
  const key = keyName === null ? null : await keyData(backend, userId, keyName);
  const userData = checkUserData(server.user_data);
  const metadata = (server.metadata ?? {}) as Record<string, string>;
  checkMetadataQuota(absoluteLimits(backend.config), metadata);
  const personality = (server.personality ?? []) as { path: string; contents: string }[];
  if (personality.length) checkInjectedFiles(absoluteLimits(backend.config), personality);
  const zone = await resolveZone(call, backend, server.availability_zone);
  let requestedDestination: RequestSpec['requestedDestination'] = null;
  if (server.host !== undefined || server.hypervisor_hostname !== undefined) {
    call.authorize(ServerPolicy.requestedDestination, target);
    if (zone.forceHosts.length || zone.forceNodes.length) {
      throw new BadRequestError(
        'One mechanism with host and/or hypervisor_hostname and another mechanism with zone:host:node are mutually exclusive.',
      );
    }
    await checkRequestedHost(backend, server.host, server.hypervisor_hostname);
    // Nova 2.74: a requested destination, not a forced host, so the filters still run.
    requestedDestination = {
      host: server.host ?? null,
      node: server.hypervisor_hostname ?? null,
    };
  }
  const trusted = server.trusted_image_certificates as string[] | null | undefined;
  if (trusted) call.authorize(ServerPolicy.createTrustedCerts, target);
  const group = await resolveGroup(backend, projectId, hints.group);

  // The first quota check: shrink max_count to what fits, or refuse below min_count.
  const config = backend.config;
  const counter = new CellInstanceUsageCounter(backend.cellDb);
  const limits = await instanceLimits(backend.apiDb, config, projectId, userId);
  const per = { cores: flavor.vcpus, ram: flavor.memoryMb };
  const count = await checkInstanceQuota(counter, limits, projectId, userId, per, min, max);

  const spec: RequestSpec = {
    projectId,
    userId,
    flavor,
    image: { id: image.id, properties: image.properties },
    availabilityZone: zone.zone,
    forceHosts: zone.forceHosts,
    forceNodes: zone.forceNodes,
    schedulerHints: hints,
    group: group ? groupInfo(group) : null,
    numInstances: count,
    resources: resourcesFromFlavor(flavor),
    requiredTraits: traitsFromFlavorAndImage(flavor, image.properties),
    memberOf: [],
    requestedDestination,
    networks: nics,
    ...(personality.length
      ? { injectedFiles: personality.map((f) => ({ path: f.path, contents: f.contents })) }
      : {}),
  };
  const reservation = reservationId();
  const tags = (server.tags ?? []) as string[];
  const entries: NewInstance[] = [];
  for (let i = 0; i < count; i++) {
    const uuid = deps.ids.uuid();
    // Nova's multi_instance_display_name_template: `name-N` when several are made at once.
    const displayName = count > 1 ? `${name}-${i + 1}` : name;
    entries.push({
      row: {
        uuid,
        user_id: userId,
        project_id: projectId,
        image_ref: image.id,
        hostname: server.hostname ?? sanitizeHostname(displayName, `server-${uuid}`),
        launch_index: i,
        key_name: keyName,
        key_data: key,
        power_state: 0,
        vm_state: VmState.BUILDING,
        task_state: TaskState.SCHEDULING,
        memory_mb: flavor.memoryMb,
        vcpus: flavor.vcpus,
        root_gb: flavor.rootGb,
        ephemeral_gb: flavor.ephemeralGb,
        swap_mb: flavor.swapMb,
        host: null,
        node: null,
        flavor_id: flavor.id,
        flavor: JSON.stringify(flavor),
        user_data: userData,
        reservation_id: reservation,
        launched_at: null,
        terminated_at: null,
        availability_zone: zone.zone,
        display_name: displayName,
        display_description: v.atLeast('2.19') ? (server.description ?? null) : null,
        launched_on: null,
        locked: 0,
        locked_by: null,
        locked_reason: null,
        access_ip_v4: server.accessIPv4 ?? null,
        access_ip_v6: server.accessIPv6 ?? null,
        config_drive: parseBool(server.config_drive) ? 'True' : '',
        progress: 0,
        root_device_name: null,
        image_meta: JSON.stringify({
          id: image.id,
          min_ram: image.minRam,
          min_disk: image.minDisk,
          size: image.size,
          properties: image.properties,
        }),
        trusted_certs: trusted ? JSON.stringify(trusted) : null,
        network_info: '[]',
        task_deadline: null,
        request_spec: JSON.stringify(spec),
      },
      metadata,
      tags,
    });
  }
  // The recheck (Nova's recheck_quota), exact under concurrency: inside the insert's
  // transaction, with the project's lock held until commit, count what others committed.
  const recheck = async (trx: Kysely<CellDatabase>) => {
    await lockForTransaction(trx, backend.cellDb.dialect, 'instance-quota', projectId);
    const usage = {
      project: await countInstances(trx, projectId),
      user: await countInstances(trx, projectId, userId),
    };
    instancesThatFit(limits, usage, per, count, count);
  };
  const created = await backend.instances.createAll(
    entries,
    config.quota.recheck_quota ? recheck : undefined,
  );
  const uuids = created.map((r) => r.uuid);
  for (const uuid of uuids) {
    await backend.actions.start(uuid, 'create', { requestId: ctx.requestId, userId, projectId });
  }

  if (group) await addGroupMembers(backend, group.id, uuids, now(deps.clock));

  await backend.conductor.buildInstances({ spec, instanceUuids: uuids }, ctx.requestId);

  if (parseBool(server.return_reservation_id)) return { reservation_id: reservation };
  const first = created[0]!;
  // Nova's create answers with the new server's self link as Location.
  return new ApiReply(
    {
      server: {
        id: first.uuid,
        links: call.links.member('servers', first.uuid),
        'OS-DCF:diskConfig': server['OS-DCF:diskConfig'] ?? 'MANUAL',
        security_groups: server.security_groups ?? [{ name: 'default' }],
        adminPass: server.adminPass ?? adminPassword(),
      },
    },
    { headers: { location: call.links.href('servers', first.uuid) } },
  );
}

async function addGroupMembers(
  backend: ServersBackend,
  groupId: number,
  uuids: string[],
  ts: string,
): Promise<void> {
  await (backend.apiDb.kysely as Kysely<ApiDatabase>)
    .insertInto('instance_group_member')
    .values(
      uuids.map((instance_uuid) => ({
        group_id: groupId,
        instance_uuid,
        created_at: ts,
        updated_at: null,
      })),
    )
    .execute();
}

function groupInfo(g: ServerGroupInfo & { id: number }): ServerGroupInfo {
  return {
    uuid: g.uuid,
    policy: g.policy,
    hosts: g.hosts,
    membersPerHost: g.membersPerHost,
    rules: g.rules,
  };
}
