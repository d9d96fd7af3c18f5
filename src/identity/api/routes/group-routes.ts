import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../../common/errors.js';
import type { Group } from '../../store/group-store.js';
import { authorize, newId, type IdentityApiDeps } from '../identity-api.js';
import { listHints, wrapCollection } from '../list-query.js';
import { targets } from '../policy-targets.js';
import { extraOf, param, rejectImmutable, requireMatchingId } from '../request-body.js';
import { GroupCreate, GroupUpdate } from '../schemas/actor-schemas.js';
import { renderGroup, renderUser } from '../views/actor-views.js';

const COLUMNS = ['name', 'domain_id', 'description'];

/** `/v3/groups` and group membership. */
export function registerGroupRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const checkCreate = deps.schemas.compile(GroupCreate);
  const checkUpdate = deps.schemas.compile(GroupUpdate);
  const { groups, users, resources } = deps.store;

  const withGroup = async (req: FastifyRequest, rule: string): Promise<Group> => {
    const id = param(req, 'group_id');
    const g = await groups.findGroup(id);
    authorize(deps, req, rule, { target: targets.group(g), group_id: id });
    return g ?? groups.getGroup(id);
  };

  /** A membership route: the group and the user, both in the policy target. */
  const withMember = async (req: FastifyRequest, rule: string) => {
    const [g, u] = await Promise.all([
      groups.findGroup(param(req, 'group_id')),
      users.findUser(param(req, 'user_id')),
    ]);
    authorize(deps, req, rule, {
      target: { ...targets.group(g), ...targets.user(u) },
      group_id: param(req, 'group_id'),
      user_id: param(req, 'user_id'),
    });
    return {
      group: g ?? (await groups.getGroup(param(req, 'group_id'))),
      user: u ?? (await users.getUser(param(req, 'user_id'))),
    };
  };

  app.get('/v3/groups', async (req) => {
    const domainId = req.context.domainId ?? undefined;
    authorize(
      deps,
      req,
      'identity:list_groups',
      domainId ? { target: { group: { domain_id: domainId } } } : {},
    );
    const list = await groups.listGroups(domainId ? { domainId } : {});
    return wrapCollection(
      req,
      'groups',
      list.map((g) => renderGroup(req, g)),
      listHints(req, ['domain_id', 'name']),
    );
  });

  app.post('/v3/groups', async (req, reply) => {
    const { group } = checkCreate(req.body);
    const domainId =
      group.domain_id ?? req.context.domainId ?? deps.config.identity.default_domain_id;
    authorize(deps, req, 'identity:create_group', {
      target: { group: { ...group, domain_id: domainId } },
    });
    await resources.getDomain(domainId);
    const created = await groups.createGroup({
      id: newId(deps.ids),
      name: group.name,
      domainId,
      description: group.description ?? '',
      extra: extraOf(group, COLUMNS),
    });
    reply.code(201);
    return { group: renderGroup(req, created) };
  });

  app.get('/v3/groups/:group_id', async (req) => ({
    group: renderGroup(req, await withGroup(req, 'identity:get_group')),
  }));

  app.patch('/v3/groups/:group_id', async (req) => {
    const id = param(req, 'group_id');
    const { group } = checkUpdate(req.body);
    requireMatchingId(group, id);
    const current = await withGroup(req, 'identity:update_group');
    rejectImmutable(group, { domain_id: current.domainId }, ['domain_id']);
    const updated = await groups.updateGroup(id, {
      ...(group.name !== undefined ? { name: group.name } : {}),
      ...(group.description !== undefined ? { description: group.description } : {}),
      extra: { ...current.extra, ...extraOf(group, COLUMNS) },
    });
    return { group: renderGroup(req, updated) };
  });

  app.delete('/v3/groups/:group_id', async (req, reply) => {
    await withGroup(req, 'identity:delete_group');
    await groups.deleteGroup(param(req, 'group_id'));
    return reply.code(204).send();
  });

  app.get('/v3/groups/:group_id/users', async (req) => {
    const g = await withGroup(req, 'identity:list_users_in_group');
    const members = await users.listUsers({ ids: await groups.memberIds(g.id) });
    return wrapCollection(
      req,
      'users',
      members.map((u) => renderUser(req, u)),
      listHints(req, ['domain_id', 'enabled', 'name']),
    );
  });

  app.put('/v3/groups/:group_id/users/:user_id', async (req, reply) => {
    const { group, user } = await withMember(req, 'identity:add_user_to_group');
    await groups.addMember(group.id, user.id);
    return reply.code(204).send();
  });

  app.get('/v3/groups/:group_id/users/:user_id', async (req, reply) => {
    const { group, user } = await withMember(req, 'identity:check_user_in_group');
    if (!(await groups.isMember(group.id, user.id))) {
      throw new NotFoundError(`User '${user.id}' not found in group '${group.id}'`, {
        code: 'identity.not_found',
      });
    }
    return reply.code(204).send();
  });

  app.delete('/v3/groups/:group_id/users/:user_id', async (req, reply) => {
    const { group, user } = await withMember(req, 'identity:remove_user_from_group');
    if (!(await groups.removeMember(group.id, user.id))) {
      throw new NotFoundError(`User '${user.id}' not found in group '${group.id}'`, {
        code: 'identity.not_found',
      });
    }
    return reply.code(204).send();
  });
}
