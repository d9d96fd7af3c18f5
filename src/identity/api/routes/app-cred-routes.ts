import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppCredService } from '../../core/app-cred-service.js';
import { badRequest, notFound } from '../../identity-errors.js';
import type { AppCred } from '../../store/app-cred-store.js';
import type { Role } from '../../store/role-store.js';
import { authorize, type IdentityApiDeps } from '../identity-api.js';
import { selfLinks } from '../links.js';
import { listHints, wrapCollection } from '../list-query.js';
import { param } from '../request-body.js';
import { AppCredCreate } from '../schemas/app-cred-schemas.js';
import { isoTime } from '../views/token-view.js';

/** An application credential as keystone renders it (never the secret hash or user id). */
function render(req: FastifyRequest, c: AppCred, roles: Role[]): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    expires_at: c.expiresAt ? isoTime(c.expiresAt.getTime()) : null,
    project_id: c.projectId,
    roles: roles
      .filter((r) => c.roleIds.includes(r.id))
      .map((r) => ({ id: r.id, name: r.name, domain_id: r.domainId })),
    unrestricted: c.unrestricted,
    access_rules: [],
    links: selfLinks(req, `users/${c.userId}/application_credentials/${c.id}`),
  };
}

/** `/v3/users/{user_id}/application_credentials`. */
export function registerAppCredRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const checkCreate = deps.schemas.compile(AppCredCreate);
  const service = new AppCredService(deps.store, deps.resolver, deps.clock, deps.ids);
  const { appCreds, roles } = deps.store;
  const base = '/v3/users/:user_id/application_credentials';

  app.post(base, async (req, reply) => {
    const userId = param(req, 'user_id');
    const { application_credential: body } = checkCreate(req.body);
    authorize(deps, req, 'identity:create_application_credential', { user_id: userId });
    if (body.access_rules && body.access_rules.length > 0) {
      throw badRequest('Application credential access rules are not supported.');
    }
    const { cred, secret } = await service.create(req.identityToken, userId, {
      name: body.name,
      description: body.description ?? null,
      secret: body.secret ?? null,
      expiresAt: body.expires_at ?? null,
      roles: body.roles,
      unrestricted: body.unrestricted ?? false,
    });
    reply.code(201);
    const view = render(req, cred, await roles.listRoles({ ids: cred.roleIds }));
    return { application_credential: { ...view, secret } };
  });

  app.get(base, async (req) => {
    const userId = param(req, 'user_id');
    authorize(deps, req, 'identity:list_application_credentials', { user_id: userId });
    const list = await appCreds.listForUser(userId);
    const allRoles = await roles.listRoles({ ids: [...new Set(list.flatMap((c) => c.roleIds))] });
    return wrapCollection(
      req,
      'application_credentials',
      list.map((c) => render(req, c, allRoles)),
      listHints(req, ['name']),
    );
  });

  /** The credential of the URL, which must belong to the URL's user. */
  const withCred = async (req: FastifyRequest, rule: string): Promise<AppCred> => {
    const userId = param(req, 'user_id');
    const id = param(req, 'application_credential_id');
    authorize(deps, req, rule, { user_id: userId });
    const cred = await appCreds.find(id);
    if (!cred || cred.userId !== userId) throw notFound('Application Credential', id);
    return cred;
  };

  app.get(`${base}/:application_credential_id`, async (req) => {
    const c = await withCred(req, 'identity:get_application_credential');
    return {
      application_credential: render(req, c, await roles.listRoles({ ids: c.roleIds })),
    };
  });

  app.delete(`${base}/:application_credential_id`, async (req, reply) => {
    const c = await withCred(req, 'identity:delete_application_credential');
    await appCreds.delete(c.id);
    return reply.code(204).send();
  });
}
