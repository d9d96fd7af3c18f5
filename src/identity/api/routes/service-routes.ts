import type { FastifyInstance } from 'fastify';
import { authorize, newId, type IdentityApiDeps } from '../identity-api.js';
import { listHints, wrapCollection } from '../list-query.js';
import { extraOf, param, requireMatchingId } from '../request-body.js';
import { ServiceCreate, ServiceUpdate } from '../schemas/catalog-schemas.js';
import { renderService } from '../views/catalog-views.js';

const COLUMNS = ['type', 'name', 'description', 'enabled'];

/** `/v3/services`. */
export function registerServiceRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const checkCreate = deps.schemas.compile(ServiceCreate);
  const checkUpdate = deps.schemas.compile(ServiceUpdate);
  const { catalog } = deps.store;

  app.get('/v3/services', async (req) => {
    authorize(deps, req, 'identity:list_services');
    return wrapCollection(
      req,
      'services',
      (await catalog.listServices()).map((s) => renderService(req, s)),
      listHints(req, ['type', 'name']),
    );
  });

  app.post('/v3/services', async (req, reply) => {
    const { service } = checkCreate(req.body);
    authorize(deps, req, 'identity:create_service');
    const created = await catalog.createService({
      id: newId(deps.ids),
      type: service.type,
      name: service.name ?? null,
      description: service.description ?? null,
      enabled: service.enabled ?? true,
      extra: extraOf(service, COLUMNS),
    });
    reply.code(201);
    return { service: renderService(req, created) };
  });

  app.get('/v3/services/:service_id', async (req) => {
    authorize(deps, req, 'identity:get_service');
    return { service: renderService(req, await catalog.getService(param(req, 'service_id'))) };
  });

  app.patch('/v3/services/:service_id', async (req) => {
    const id = param(req, 'service_id');
    const { service } = checkUpdate(req.body);
    requireMatchingId(service, id);
    authorize(deps, req, 'identity:update_service');
    const current = await catalog.getService(id);
    const updated = await catalog.updateService({
      ...current,
      ...(service.type !== undefined ? { type: service.type } : {}),
      ...(service.name !== undefined ? { name: service.name } : {}),
      ...(service.description !== undefined ? { description: service.description } : {}),
      ...(service.enabled !== undefined ? { enabled: service.enabled } : {}),
      extra: { ...current.extra, ...extraOf(service, COLUMNS) },
    });
    return { service: renderService(req, updated) };
  });

  app.delete('/v3/services/:service_id', async (req, reply) => {
    authorize(deps, req, 'identity:delete_service');
    await catalog.deleteService(param(req, 'service_id'));
    return reply.code(204).send();
  });
}
