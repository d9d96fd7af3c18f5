import { BadRequestError, ConflictError, NotFoundError } from '../../../common/errors.js';
import { isUuidLike } from '../../../common/ids.js';
import type { ServiceRecord } from '../../../platform/service/service-registry.js';
import { COMPUTE_BINARY } from '../../service-binaries.js';
import { Versioned } from '../microversion/versioned.js';
import { HostPolicy } from '../policies/host-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall, Handler, RouteSpec } from '../routing/route-spec.js';
import {
  serviceListQueries,
  serviceUpdateSchemas,
  type ServiceUpdateBody,
} from '../schemas/service-schemas.js';
import { serviceView } from '../views/service-view.js';
import { parseBool } from './parse-bool.js';

function onlyCompute(binary: string): void {
  if (binary !== COMPUTE_BINARY) {
    throw new BadRequestError(
      `Updating a ${binary} service is not supported. Only ${COMPUTE_BINARY} services can be updated.`,
    );
  }
}

async function render(deps: ApiDeps, call: ApiCall, svc: ServiceRecord) {
  const [zoned] = await deps.zones.withZones([svc]);
  return serviceView.render(zoned ?? { ...svc, zone: deps.zones.internalZone }, call.version);
}

/** Before 2.53 the service is named by host and binary in the body, the action by the URL. */
function updateV21(deps: ApiDeps): Handler {
  return async (call: ApiCall<ServiceUpdateBody>) => {
    call.authorize(HostPolicy.servicesUpdate, {});
    const action = call.params.id!;
    const { host, binary } = call.body as { host: string; binary: string };
    const apply = async (changes: Parameters<typeof deps.services.update>[1]) => {
      onlyCompute(binary);
      const svc = (await deps.services.list({ host, binary }))[0];
      if (!svc)
        throw new NotFoundError(`Compute host ${host} with binary ${binary} could not be found.`);
      await deps.services.update(svc.id, changes);
    };
    if (action === 'enable' || action === 'disable' || action === 'disable-log-reason') {
      let reason: string | null = null;
      if (action === 'disable-log-reason') {
        if (call.body.disabled_reason === undefined)
          throw new BadRequestError('Missing disabled reason field');
        reason = call.body.disabled_reason;
      }
      const disabled = action !== 'enable';
      await apply({ disabled, disabledReason: reason });
      const service: Record<string, unknown> = {
        host,
        binary,
        status: disabled ? 'disabled' : 'enabled',
      };
      if (reason) service.disabled_reason = reason;
      return { service };
    }
    // Nova 2.11: forcing a service down.
    if (action === 'force-down' && call.version.atLeast('2.11')) {
      if (call.body.forced_down === undefined)
        throw new BadRequestError('Missing forced_down field');
      const forcedDown = parseBool(call.body.forced_down) ?? false;
      await apply({ forcedDown });
      return { service: { host, binary, forced_down: forcedDown } };
    }
    throw new NotFoundError('Unknown action');
  };
}

/** From 2.53 the service is named by its uuid in the URL, the changes by the body. */
function updateV253(deps: ApiDeps): Handler {
  return async (call: ApiCall<ServiceUpdateBody>) => {
    const id = call.params.id!;
    if (!isUuidLike(id)) throw new BadRequestError(`Invalid uuid ${id}`);
    call.authorize(HostPolicy.servicesUpdate, {});
    const svc = await deps.services.get(id);
    if (!svc) throw new NotFoundError(`Service ${id} could not be found.`);
    onlyCompute(svc.binary);
    const body = call.body;
    const changes: Parameters<typeof deps.services.update>[1] = {};
    if (body.status === 'enabled') {
      if (body.disabled_reason) {
        throw new BadRequestError("Specifying 'disabled_reason' with status 'enabled' is invalid.");
      }
      Object.assign(changes, { disabled: false, disabledReason: null });
    } else if (body.status === 'disabled') {
      Object.assign(changes, { disabled: true, disabledReason: body.disabled_reason ?? null });
    }
    if (body.forced_down !== undefined) changes.forcedDown = parseBool(body.forced_down)!;
    if (Object.keys(changes).length === 0) {
      throw new BadRequestError(
        "No updates were requested. Fields 'status' or 'forced_down' should be specified.",
      );
    }
    const updated = (await deps.services.update(svc.id, changes))!;
    return { service: await render(deps, call, updated) };
  };
}

async function deleteService(deps: ApiDeps, call: ApiCall): Promise<undefined> {
  call.authorize(HostPolicy.servicesDelete, {});
  const raw = call.params.id!;
  let svc: ServiceRecord | undefined;
  if (call.version.atLeast('2.53')) {
    if (!isUuidLike(raw)) throw new BadRequestError(`Invalid uuid ${raw}`);
    svc = await deps.services.get(raw);
  } else {
    if (!/^\s*-?\d+\s*$/.test(raw))
      throw new BadRequestError('Invalid input received: id must be an integer.');
    svc = await deps.services.get(Number(raw));
  }
  if (!svc) throw new NotFoundError(`Service ${raw} not found.`);
  if (svc.binary === COMPUTE_BINARY) {
    if ((await deps.cell.countServersOn([svc.host])) > 0) {
      throw new ConflictError(
        'Unable to delete compute service that is hosting instances. Migrate or delete the instances first.',
      );
    }
    const nodes = await deps.cell.nodesOn(svc.host);
    for (const agg of await deps.aggregates.byHost(svc.host)) {
      await deps.aggregates.removeHost(agg.id, svc.host);
      await deps.aggregateMirror.hostRemoved(agg.uuid, svc.host);
    }
    // Nova: the nodes' resource providers go too, so they are not left orphaned in Placement.
    await deps.nodeProviders.remove(nodes);
    await deps.cell.retireHost(svc.host, deps.clock.now());
  }
  await deps.services.delete(svc.id);
  return undefined;
}

/** os-services: list with host/binary filters, enable/disable/force down, delete. */
export function serviceRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/os-services',
      query: serviceListQueries,
      handler: async (call) => {
        call.authorize(HostPolicy.servicesList, {});
        const host = call.query.get('host');
        const binary = call.query.get('binary');
        const all = await deps.zones.withZones(await deps.services.list());
        const services = all.filter(
          (s) => (!host || s.host === host) && (!binary || s.binary === binary),
        );
        return { services: services.map((s) => serviceView.render(s, call.version)) };
      },
    },
    {
      method: 'PUT',
      path: '/os-services/:id',
      body: serviceUpdateSchemas,
      handler: new Versioned<Handler>([
        [['2.0', '2.52'], updateV21(deps)],
        [['2.53'], updateV253(deps)],
      ]),
    },
    {
      method: 'DELETE',
      path: '/os-services/:id',
      status: 204,
      handler: (call) => deleteService(deps, call),
    },
  ];
}
