import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildCatalog } from '../../core/catalog-builder.js';
import type { TokenInfo } from '../../core/token-provider.js';
import { forbidden, notFound, validationError } from '../../identity-errors.js';
import { authorize, type IdentityApiDeps } from '../identity-api.js';
import { selfLinks } from '../links.js';
import { queryOf } from '../list-query.js';
import { subjectToken } from '../request-token.js';
import { AuthRequestSchema } from '../schemas/auth-schemas.js';
import { renderDomain } from '../views/domain-view.js';
import { renderProject } from '../views/project-view.js';
import { renderToken } from '../views/token-view.js';

/** `/v3/auth/*`: issue, validate, check and revoke tokens; a token's projects and catalog. */
export function registerAuthRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const checkAuth = deps.schemas.compile(AuthRequestSchema);

  const respond = async (
    req: FastifyRequest,
    reply: FastifyReply,
    info: TokenInfo,
    code: number,
  ) => {
    const withCatalog = !('nocatalog' in queryOf(req));
    const catalog = withCatalog
      ? await buildCatalog(deps.store, info.project?.id ?? null)
      : undefined;
    reply.code(code).header('x-subject-token', info.id);
    return renderToken(info, catalog);
  };

  app.post('/v3/auth/tokens', { config: { public: true } }, async (req, reply) => {
    const auth = (req.body as { auth?: unknown } | undefined)?.auth;
    if (auth === undefined || auth === null) throw validationError('auth', 'request body');
    const info = await deps.authenticator.authenticate(checkAuth(auth));
    return respond(req, reply, info, 201);
  });

  /** The subject token, validated: keystone answers 404 for one that is not valid. */
  const subject = async (req: FastifyRequest): Promise<TokenInfo> => {
    const token = subjectToken(req.headers);
    if (!token) throw notFound('token', '');
    try {
      return await deps.tokens.validate(token);
    } catch {
      throw notFound('token', token);
    }
  };
  const tokenTarget = (info: TokenInfo) => ({ target: { token: { user_id: info.user.id } } });

  app.get('/v3/auth/tokens', async (req, reply) => {
    const info = await subject(req);
    const rule = req.method === 'HEAD' ? 'identity:check_token' : 'identity:validate_token';
    authorize(deps, req, rule, tokenTarget(info));
    return respond(req, reply, info, 200);
  });

  app.delete('/v3/auth/tokens', async (req, reply) => {
    const info = await subject(req);
    authorize(deps, req, 'identity:revoke_token', tokenTarget(info));
    await deps.tokens.revoke(info);
    return reply.code(204).send();
  });

  app.get('/v3/auth/catalog', async (req) => {
    authorize(deps, req, 'identity:get_auth_catalog');
    const projectId = req.identityToken.project?.id;
    if (!projectId) {
      throw forbidden('A project-scoped token is required to produce a service catalog.');
    }
    return {
      catalog: await buildCatalog(deps.store, projectId),
      links: selfLinks(req, 'auth/catalog'),
    };
  });

  app.get('/v3/auth/projects', async (req) => {
    authorize(deps, req, 'identity:get_auth_projects');
    const ids = await deps.resolver.projectIdsOf(req.identityToken.user.id);
    const projects = await deps.store.resources.listProjects({ ids });
    return {
      projects: projects.filter((p) => p.enabled).map((p) => renderProject(req, p)),
      links: selfLinks(req, 'auth/projects'),
    };
  });

  app.get('/v3/auth/domains', async (req) => {
    authorize(deps, req, 'identity:get_auth_domains');
    const ids = await deps.resolver.domainIdsOf(req.identityToken.user.id);
    const domains = (await deps.store.resources.listDomains()).filter(
      (d) => d.enabled && ids.includes(d.id),
    );
    return {
      domains: domains.map((d) => renderDomain(req, d)),
      links: selfLinks(req, 'auth/domains'),
    };
  });

  app.get('/v3/auth/system', async (req) => {
    authorize(deps, req, 'identity:get_auth_system');
    const roles = await deps.resolver.systemRoleIds(req.identityToken.user.id);
    return {
      system: roles.length > 0 ? [{ all: true }] : [],
      links: selfLinks(req, 'auth/system'),
    };
  });
}
