import {
  BadRequestError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
  TimeoutError,
} from '../../../common/errors.js';
import { isUuidLike } from '../../../common/ids.js';
import type { ServiceRecord } from '../../../platform/service/service-registry.js';
import { COMPUTE_BINARY } from '../../service-binaries.js';
import { limitAndMarker } from '../http/pagination.js';
import { Versioned } from '../microversion/versioned.js';
import { HostPolicy } from '../policies/host-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall, Handler, RouteSpec } from '../routing/route-spec.js';
import { hypervisorListQueries, hypervisorShowQueries } from '../schemas/hypervisor-schemas.js';
import type { ComputeNode } from '../store/cell-records.js';
import {
  hypervisorBriefView,
  hypervisorDetailView,
  hypervisorStatistics,
  type HypervisorSource,
} from '../views/hypervisor-view.js';
import { parseBool } from './parse-bool.js';

function notFound(id: string): NotFoundError {
  return new NotFoundError(`Hypervisor with ID '${id}' could not be found.`);
}

async function computeServices(deps: ApiDeps): Promise<Map<string, ServiceRecord>> {
  return new Map((await deps.services.list({ binary: COMPUTE_BINARY })).map((s) => [s.host, s]));
}

function withServersParam(call: ApiCall): boolean {
  if (!call.version.atLeast('2.53')) return false;
  const raw = call.query.get('with_servers');
  return raw === undefined ? false : parseBool(raw)!;
}

/** Nova's ComputeServiceUnavailable, a 400 in the uptime API. */
function hostUnavailable(host: string): BadRequestError {
  return new BadRequestError(`Compute service of ${host} is unavailable at this time.`);
}

/**
 * The host's uptime as nova-api gets it: refused for a down service (ComputeServiceUnavailable,
 * 400), 501 when the driver cannot tell; an agent that does not answer counts as down.
 */
async function hostUptime(deps: ApiDeps, call: ApiCall, service: ServiceRecord): Promise<string> {
  if (!service.up) throw hostUnavailable(service.host);
  try {
    return await deps.uptime.get(service.host, call.context.requestId);
  } catch (err) {
    if (err instanceof NotImplementedError)
      throw new NotImplementedError('The requested functionality is not supported.');
    if (err instanceof TimeoutError || err instanceof ServiceUnavailableError)
      throw hostUnavailable(service.host);
    throw err;
  }
}

async function sources(
  deps: ApiDeps,
  call: ApiCall,
  nodes: ComputeNode[],
  opts: { servers: boolean; detail: boolean },
): Promise<HypervisorSource[]> {
  const services = await computeServices(deps);
  const out: HypervisorSource[] = [];
  // One question per host, however many nodes it has.
  const uptimes = new Map<string, Promise<string | null>>();
  for (const node of nodes) {
    // A node whose service is gone is skipped, as upstream does until it is cleaned up.
    const service = services.get(node.host);
    if (!service) continue;
    const src: HypervisorSource = { node, service, withServers: opts.servers };
    if (opts.servers) src.servers = await deps.cell.serversOn(node.host);
    if (opts.detail && call.version.atLeast('2.88')) {
      // Nova 2.88: null when the host cannot tell (down, unsupported), never an error.
      if (!uptimes.has(node.host)) {
        uptimes.set(
          node.host,
          hostUptime(deps, call, service).catch((err: unknown) => {
            if (err instanceof BadRequestError || err instanceof NotImplementedError) return null;
            throw err;
          }),
        );
      }
      src.uptime = await uptimes.get(node.host)!;
    }
    out.push(src);
  }
  return out;
}

function list(deps: ApiDeps, detail: boolean): Handler {
  return async (call) => {
    call.authorize(detail ? HostPolicy.hvDetail : HostPolicy.hvList, {});
    const paged = call.version.atLeast('2.33');
    const pattern = call.version.atLeast('2.53')
      ? call.query.get('hypervisor_hostname_pattern')
      : undefined;
    const withServers = withServersParam(call);
    let nodes: ComputeNode[];
    let links = paged;
    if (pattern !== undefined) {
      if (call.query.has('limit') || call.query.has('marker')) {
        throw new BadRequestError(
          'Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.',
        );
      }
      links = false;
      nodes = await deps.cell.search(pattern);
      if (nodes.length === 0)
        throw new NotFoundError(`No hypervisor matching '${pattern}' could be found.`);
    } else {
      const page = paged
        ? limitAndMarker(call.query, deps.maxLimit)
        : { limit: undefined, marker: undefined };
      nodes = await deps.cell.page(page.limit, page.marker);
    }
    const view = detail ? hypervisorDetailView : hypervisorBriefView;
    const rendered = (await sources(deps, call, nodes, { servers: withServers, detail })).map((s) =>
      view.render(s, call.version),
    );
    const body: Record<string, unknown> = { hypervisors: rendered };
    if (links) {
      const next = call.links.collection(
        rendered,
        detail ? 'os-hypervisors/detail' : 'os-hypervisors',
        (h) => String(h.id),
      );
      if (next.length) body.hypervisors_links = next;
    }
    return body;
  };
}

/** Finds a node by the id form of the version: integers before 2.53 (404 otherwise), uuids after (400). */
async function nodeById(
  deps: ApiDeps,
  call: ApiCall,
): Promise<{ node: ComputeNode; service: ServiceRecord }> {
  const id = call.params.id!;
  if (call.version.atLeast('2.53')) {
    if (!isUuidLike(id)) throw new BadRequestError(`Invalid uuid ${id}`);
  } else if (!/^\d+$/.test(id)) {
    throw notFound(id);
  }
  const node = await deps.cell.find(id);
  if (!node) throw notFound(id);
  const service = (await computeServices(deps)).get(node.host);
  if (!service) throw notFound(id);
  return { node, service };
}

function byPattern(deps: ApiDeps, servers: boolean): Handler {
  return async (call) => {
    call.authorize(servers ? HostPolicy.hvServers : HostPolicy.hvSearch, {});
    const pattern = call.params.id!;
    const nodes = await deps.cell.search(pattern);
    if (nodes.length === 0)
      throw new NotFoundError(`No hypervisor matching '${pattern}' could be found.`);
    const found = await sources(deps, call, nodes, { servers, detail: false });
    return {
      hypervisors: found.map((s) =>
        hypervisorBriefView.render({ ...s, withServers: false }, call.version),
      ),
    };
  };
}

/** os-hypervisors: list, detail, show, and the routes retired at 2.53 and 2.88. */
export function hypervisorRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/os-hypervisors',
      query: hypervisorListQueries,
      handler: list(deps, false),
    },
    {
      method: 'GET',
      path: '/os-hypervisors/detail',
      query: hypervisorListQueries,
      handler: list(deps, true),
    },
    {
      method: 'GET',
      path: '/os-hypervisors/statistics',
      // Nova 2.88: statistics are gone (Placement has the inventories).
      handler: new Versioned<Handler>([
        [
          ['2.0', '2.87'],
          async (call) => {
            call.authorize(HostPolicy.hvStatistics, {});
            const services = await computeServices(deps);
            const nodes = (await deps.cell.page(undefined, undefined)).filter(
              (n) => services.has(n.host) && !services.get(n.host)!.disabled,
            );
            return { hypervisor_statistics: hypervisorStatistics(nodes) };
          },
        ],
      ]),
    },
    {
      method: 'GET',
      path: '/os-hypervisors/:id',
      query: hypervisorShowQueries,
      handler: async (call) => {
        call.authorize(HostPolicy.hvShow, {});
        const withServers = withServersParam(call);
        const found = await nodeById(deps, call);
        const [src] = await sources(deps, call, [found.node], {
          servers: withServers,
          detail: true,
        });
        return { hypervisor: hypervisorDetailView.render(src!, call.version) };
      },
    },
    {
      method: 'GET',
      path: '/os-hypervisors/:id/uptime',
      handler: new Versioned<Handler>([
        [
          ['2.0', '2.87'],
          async (call) => {
            call.authorize(HostPolicy.hvUptime, {});
            const { node, service } = await nodeById(deps, call);
            const uptime = await hostUptime(deps, call, service);
            return {
              hypervisor: {
                ...hypervisorBriefView.render({ node, service }, call.version),
                uptime,
              },
            };
          },
        ],
      ]),
    },
    {
      method: 'GET',
      path: '/os-hypervisors/:id/search',
      handler: new Versioned<Handler>([[['2.0', '2.52'], byPattern(deps, false)]]),
    },
    {
      method: 'GET',
      path: '/os-hypervisors/:id/servers',
      handler: new Versioned<Handler>([[['2.0', '2.52'], byPattern(deps, true)]]),
    },
  ];
}
