import type { FastifyInstance } from 'fastify';
import { validationError } from '../../identity-errors.js';
import type { IdentityStore } from '../../store/identity-store.js';
import { authorize, newId, type IdentityApiDeps } from '../identity-api.js';
import { listHints, wrapCollection } from '../list-query.js';
import { extraOf, param, requireMatchingId } from '../request-body.js';
import { EndpointCreate, EndpointUpdate } from '../schemas/catalog-schemas.js';
import { renderEndpoint } from '../views/catalog-views.js';

const COLUMNS = ['service_id', 'interface', 'url', 'region_id', 'region', 'enabled'];

/** keystone's _assert_region_exists and _assert_service_exists: 400 for a dangling reference. */
async function assertRefs(store: IdentityStore, serviceId: string, regionId: string | null) {
  if (regionId !== null && !(await store.catalog.findRegion(regionId))) {
    throw validationError('endpoint region_id', 'region table');
  }
  const services = await store.catalog.listServices();
  if (!services.some((s) => s.id === serviceId)) {
    throw validationError('endpoint service_id', 'service table');
  }
}

/** `/v3/endpoints`. */
export function registerEndpointRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const checkCreate = deps.schemas.compile(EndpointCreate);
  const checkUpdate = deps.schemas.compile(EndpointUpdate);
  const { catalog } = deps.store;

  app.get('/v3/endpoints', async (req) => {
    authorize(deps, req, 'identity:list_endpoints');
    return wrapCollection(
      req,
      'endpoints',
      (await catalog.listEndpoints()).map((e) => renderEndpoint(req, e)),
      listHints(req, ['interface', 'service_id', 'region_id']),
    );
  });

  app.post('/v3/endpoints', async (req, reply) => {
    const { endpoint } = checkCreate(req.body);
    authorize(deps, req, 'identity:create_endpoint');
    // The legacy `region` attribute stands for region_id when that is absent.
    const regionId = endpoint.region_id ?? endpoint.region ?? null;
    await assertRefs(deps.store, endpoint.service_id, regionId);
    const created = await catalog.createEndpoint({
      id: newId(deps.ids),
      serviceId: endpoint.service_id,
      interface: endpoint.interface,
      regionId,
      url: endpoint.url,
      enabled: endpoint.enabled ?? true,
      extra: extraOf(endpoint, COLUMNS),
    });
    reply.code(201);
    return { endpoint: renderEndpoint(req, created) };
  });

  app.get('/v3/endpoints/:endpoint_id', async (req) => {
    authorize(deps, req, 'identity:get_endpoint');
    return { endpoint: renderEndpoint(req, await catalog.getEndpoint(param(req, 'endpoint_id'))) };
  });

  app.patch('/v3/endpoints/:endpoint_id', async (req) => {
    const id = param(req, 'endpoint_id');
    const { endpoint } = checkUpdate(req.body);
    requireMatchingId(endpoint, id);
    authorize(deps, req, 'identity:update_endpoint');
    const current = await catalog.getEndpoint(id);
    const regionId =
      endpoint.region_id !== undefined
        ? endpoint.region_id
        : endpoint.region !== undefined
          ? endpoint.region
          : current.regionId;
    const next = {
      ...current,
      ...(endpoint.service_id !== undefined ? { serviceId: endpoint.service_id } : {}),
      ...(endpoint.interface !== undefined ? { interface: endpoint.interface } : {}),
      ...(endpoint.url !== undefined ? { url: endpoint.url } : {}),
      ...(endpoint.enabled !== undefined ? { enabled: endpoint.enabled } : {}),
      regionId,
      extra: { ...current.extra, ...extraOf(endpoint, COLUMNS) },
    };
    await assertRefs(deps.store, next.serviceId, next.regionId);
    return { endpoint: renderEndpoint(req, await catalog.updateEndpoint(next)) };
  });

  app.delete('/v3/endpoints/:endpoint_id', async (req, reply) => {
    authorize(deps, req, 'identity:delete_endpoint');
    await catalog.deleteEndpoint(param(req, 'endpoint_id'));
    return reply.code(204).send();
  });
}
