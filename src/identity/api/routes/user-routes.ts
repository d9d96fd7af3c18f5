import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { User } from '../../store/user-store.js';
import { authorize, type IdentityApiDeps } from '../identity-api.js';
import { listHints, wrapCollection } from '../list-query.js';
import { targets } from '../policy-targets.js';
import { extraOf, param, rejectImmutable, requireMatchingId } from '../request-body.js';
import { PasswordChange, UserCreate, UserUpdate } from '../schemas/actor-schemas.js';
import { renderGroup, renderUser } from '../views/actor-views.js';
import { renderProject } from '../views/project-view.js';

const COLUMNS = ['name', 'domain_id', 'default_project_id', 'enabled', 'password', 'options'];

/** Drops null options (keystone's way of unsetting one) from a merged option set. */
function mergeOptions(
  current: Record<string, unknown>,
  given: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...current, ...given };
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  return out;
}

/** `/v3/users`, a user's password, projects and groups. */
export function registerUserRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const checkCreate = deps.schemas.compile(UserCreate);
  const checkUpdate = deps.schemas.compile(UserUpdate);
  const checkPassword = deps.schemas.compile(PasswordChange);
  const { users, resources } = deps.store;

  const withUser = async (req: FastifyRequest, rule: string): Promise<User> => {
    const id = param(req, 'user_id');
    const u = await users.findUser(id);
    authorize(deps, req, rule, { target: targets.user(u), user_id: id });
    return u ?? users.getUser(id);
  };

  app.get('/v3/users', async (req) => {
    const domainId = req.context.domainId ?? undefined;
    authorize(
      deps,
      req,
      'identity:list_users',
      domainId ? { target: { domain_id: domainId } } : {},
    );
    const list = await users.listUsers(domainId ? { domainId } : {});
    return wrapCollection(
      req,
      'users',
      list.map((u) => renderUser(req, u)),
      listHints(req, ['domain_id', 'enabled', 'name']),
    );
  });

  app.post('/v3/users', async (req, reply) => {
    const { user } = checkCreate(req.body);
    const domainId =
      user.domain_id ?? req.context.domainId ?? deps.config.identity.default_domain_id;
    authorize(deps, req, 'identity:create_user', {
      target: { user: { ...user, domain_id: domainId } },
    });
    await resources.getDomain(domainId);
    const created = await deps.users.create({
      name: user.name,
      domainId,
      enabled: user.enabled ?? true,
      defaultProjectId: user.default_project_id ?? null,
      password: user.password ?? null,
      options: mergeOptions({}, user.options),
      extra: extraOf(user, COLUMNS),
    });
    reply.code(201);
    return { user: renderUser(req, created) };
  });

  app.get('/v3/users/:user_id', async (req) => ({
    user: renderUser(req, await withUser(req, 'identity:get_user')),
  }));

  app.patch('/v3/users/:user_id', async (req) => {
    const id = param(req, 'user_id');
    const { user } = checkUpdate(req.body);
    requireMatchingId(user, id);
    const current = await withUser(req, 'identity:update_user');
    rejectImmutable(user, { domain_id: current.domainId }, ['domain_id']);
    const updated = await deps.users.update(id, {
      ...(user.name !== undefined ? { name: user.name } : {}),
      ...(user.enabled !== undefined ? { enabled: user.enabled } : {}),
      ...(user.default_project_id !== undefined
        ? { defaultProjectId: user.default_project_id }
        : {}),
      ...(user.password !== undefined ? { password: user.password } : {}),
      options: mergeOptions(current.options, user.options),
      extra: { ...current.extra, ...extraOf(user, COLUMNS) },
    });
    return { user: renderUser(req, updated) };
  });

  app.delete('/v3/users/:user_id', async (req, reply) => {
    await withUser(req, 'identity:delete_user');
    await deps.users.delete(param(req, 'user_id'));
    return reply.code(204).send();
  });

  // Keystone lets a user change its own password without a token: the old one proves who it is.
  app.post('/v3/users/:user_id/password', { config: { public: true } }, async (req, reply) => {
    const { user } = checkPassword(req.body);
    await deps.users.changePassword(param(req, 'user_id'), user.original_password, user.password);
    return reply.code(204).send();
  });

  app.get('/v3/users/:user_id/projects', async (req) => {
    const u = await withUser(req, 'identity:list_user_projects');
    const ids = await deps.resolver.projectIdsOf(u.id);
    const projects = await resources.listProjects({ ids });
    return wrapCollection(
      req,
      'projects',
      projects.map((p) => renderProject(req, p)),
      listHints(req, ['domain_id', 'enabled', 'name']),
    );
  });

  app.get('/v3/users/:user_id/groups', async (req) => {
    const u = await withUser(req, 'identity:list_groups_for_user');
    const groups = await deps.store.groups.listGroups({
      ids: await deps.store.groups.groupIdsOf(u.id),
    });
    return wrapCollection(
      req,
      'groups',
      groups.map((g) => renderGroup(req, g)),
      listHints(req, ['name']),
    );
  });
}
