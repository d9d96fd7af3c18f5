import type { FastifyInstance } from 'fastify';
import { badRequest } from '../../identity-errors.js';
import { authorize, newId, type IdentityApiDeps } from '../identity-api.js';
import { listHints, wrapCollection } from '../list-query.js';
import { targets } from '../policy-targets.js';
import { extraOf, param, requireMatchingId } from '../request-body.js';
import { DomainCreate, DomainUpdate } from '../schemas/resource-schemas.js';
import { renderDomain } from '../views/domain-view.js';

const COLUMNS = ['name', 'description', 'enabled', 'explicit_domain_id', 'tags', 'options'];

/** `/v3/domains`. */
export function registerDomainRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const checkCreate = deps.schemas.compile(DomainCreate);
  const checkUpdate = deps.schemas.compile(DomainUpdate);
  const { resources } = deps.store;

  app.get('/v3/domains', async (req) => {
    const domainId = req.context.domainId;
    authorize(
      deps,
      req,
      'identity:list_domains',
      domainId ? { target: { domain: { id: domainId } } } : {},
    );
    let domains = await resources.listDomains();
    // A domain-scoped caller sees its own domain only (keystone filters the same way).
    if (domainId) domains = domains.filter((d) => d.id === domainId);
    return wrapCollection(
      req,
      'domains',
      domains.map((d) => renderDomain(req, d)),
      listHints(req, ['name', 'enabled']),
    );
  });

  app.post('/v3/domains', async (req, reply) => {
    const { domain } = checkCreate(req.body);
    authorize(deps, req, 'identity:create_domain', { target: { domain } });
    const id = domain.explicit_domain_id ?? newId(deps.ids);
    if (!/^[0-9a-f]{32}$/.test(id)) {
      throw badRequest('Domain ID does not conform to required UUID format.');
    }
    const created = await resources.createDomain({
      id,
      name: domain.name,
      enabled: domain.enabled ?? true,
      description: domain.description ?? '',
      extra: extraOf(domain, COLUMNS),
    });
    reply.code(201);
    return { domain: renderDomain(req, created) };
  });

  app.get('/v3/domains/:domain_id', async (req) => {
    const found = await resources.findDomain(param(req, 'domain_id'));
    authorize(deps, req, 'identity:get_domain', { target: targets.domain(found) });
    return { domain: renderDomain(req, await resources.getDomain(param(req, 'domain_id'))) };
  });

  app.patch('/v3/domains/:domain_id', async (req) => {
    const id = param(req, 'domain_id');
    const { domain } = checkUpdate(req.body);
    requireMatchingId(domain, id);
    authorize(deps, req, 'identity:update_domain', {
      target: targets.domain(await resources.findDomain(id)),
    });
    const current = await resources.getDomain(id);
    const updated = await resources.updateDomain(id, {
      ...(domain.name !== undefined ? { name: domain.name } : {}),
      ...(domain.enabled !== undefined ? { enabled: domain.enabled } : {}),
      ...(domain.description !== undefined ? { description: domain.description } : {}),
      extra: { ...current.extra, ...extraOf(domain, COLUMNS) },
    });
    return { domain: renderDomain(req, updated) };
  });

  app.delete('/v3/domains/:domain_id', async (req, reply) => {
    const id = param(req, 'domain_id');
    authorize(deps, req, 'identity:delete_domain', {
      target: targets.domain(await resources.findDomain(id)),
    });
    await resources.deleteDomain(id);
    return reply.code(204).send();
  });
}
