import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError } from '../../../common/errors.js';
import { forbidden } from '../../identity-errors.js';
import type { Role } from '../../store/role-store.js';
import { authorize, newId, type IdentityApiDeps } from '../identity-api.js';
import { listHints, queryOf, wrapCollection } from '../list-query.js';
import { selfLinks } from '../links.js';
import { targets } from '../policy-targets.js';
import { extraOf, param, rejectImmutable, requireMatchingId } from '../request-body.js';
import { RoleCreate, RoleUpdate } from '../schemas/role-schemas.js';
import { renderRole, renderRoleRef } from '../views/role-views.js';

const COLUMNS = ['name', 'domain_id', 'description', 'options'];
// keystone's [assignment] prohibited_implied_role default.
const PROHIBITED_IMPLIED = ['admin'];

function immutable(r: Role): boolean {
  return r.options.immutable === true;
}

/** `/v3/roles`, implied roles (`/v3/roles/{prior}/implies/...`) and `/v3/role_inferences`. */
export function registerRoleRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const checkCreate = deps.schemas.compile(RoleCreate);
  const checkUpdate = deps.schemas.compile(RoleUpdate);
  const { roles, resources } = deps.store;

  /** The role of the URL, checked against the global or the domain-role rule. */
  const withRole = async (req: FastifyRequest, action: string): Promise<Role> => {
    const id = param(req, 'role_id');
    const r = await roles.findRole(id);
    const rule = r?.domainId ? `identity:${action}_domain_role` : `identity:${action}_role`;
    authorize(deps, req, rule, { target: targets.role(r), role_id: id });
    return r ?? roles.getRole(id);
  };

  app.get('/v3/roles', async (req) => {
    const q = queryOf(req);
    const domainId = q.domain_id;
    authorize(deps, req, domainId ? 'identity:list_domain_roles' : 'identity:list_roles');
    // Without a domain_id filter keystone lists only global roles.
    const list = await roles.listRoles({ domainId: domainId ?? null });
    const hints = listHints(req, ['name']);
    return wrapCollection(
      req,
      'roles',
      list.map((r) => renderRole(req, r)),
      hints,
    );
  });

  app.post('/v3/roles', async (req, reply) => {
    const { role } = checkCreate(req.body);
    const domainId = role.domain_id ?? null;
    authorize(deps, req, domainId ? 'identity:create_domain_role' : 'identity:create_role', {
      target: { role },
    });
    if (domainId) await resources.getDomain(domainId);
    const options: Record<string, unknown> = {};
    if (role.options?.immutable !== undefined && role.options.immutable !== null) {
      options.immutable = role.options.immutable;
    }
    const created = await roles.createRole({
      id: newId(deps.ids),
      name: role.name,
      domainId,
      description: role.description ?? null,
      options,
      extra: extraOf(role, COLUMNS),
    });
    reply.code(201);
    return { role: renderRole(req, created) };
  });

  app.get('/v3/roles/:role_id', async (req) => ({
    role: renderRole(req, await withRole(req, 'get')),
  }));

  app.patch('/v3/roles/:role_id', async (req) => {
    const id = param(req, 'role_id');
    const { role } = checkUpdate(req.body);
    requireMatchingId(role, id);
    const current = await withRole(req, 'update');
    rejectImmutable(role, { domain_id: current.domainId }, ['domain_id']);
    // An immutable role may only be changed by the same request that unsets the option.
    if (
      immutable(current) &&
      role.options?.immutable !== false &&
      role.options?.immutable !== null
    ) {
      throw forbidden(
        `Unable to update immutable role resource: \`${id}. Set resource option "immutable" to false first.`,
      );
    }
    const options = { ...current.options };
    if (role.options && 'immutable' in role.options) {
      if (role.options.immutable === null) delete options.immutable;
      else options.immutable = role.options.immutable;
    }
    const updated = await roles.updateRole(id, {
      ...(role.name !== undefined ? { name: role.name } : {}),
      ...(role.description !== undefined ? { description: role.description } : {}),
      options,
      extra: { ...current.extra, ...extraOf(role, COLUMNS) },
    });
    return { role: renderRole(req, updated) };
  });

  app.delete('/v3/roles/:role_id', async (req, reply) => {
    const r = await withRole(req, 'delete');
    if (immutable(r)) {
      throw forbidden(
        `Unable to delete immutable role resource: \`${r.id}. Set resource option "immutable" to false first.`,
      );
    }
    await roles.deleteRole(r.id);
    return reply.code(204).send();
  });

  /** Both roles of an implied-role URL, 404 for either missing. */
  const pair = async (req: FastifyRequest, rule: string) => {
    authorize(deps, req, rule);
    const prior = await roles.getRole(param(req, 'prior_role_id'));
    const implied = await roles.getRole(param(req, 'implied_role_id'));
    return { prior, implied };
  };
  const inference = (req: FastifyRequest, prior: Role, implied: Role) => ({
    role_inference: { prior_role: renderRoleRef(req, prior), implies: renderRoleRef(req, implied) },
    links: selfLinks(req, `roles/${prior.id}/implies/${implied.id}`),
  });
  const assertImplies = async (prior: Role, implied: Role) => {
    const all = await roles.listImplications(prior.id);
    if (!all.some((i) => i.impliedRoleId === implied.id)) {
      throw new NotFoundError(`${prior.id} does not imply ${implied.id}.`, {
        code: 'identity.not_found',
      });
    }
  };

  app.get('/v3/roles/:prior_role_id/implies', async (req) => {
    authorize(deps, req, 'identity:list_implied_roles');
    const prior = await roles.getRole(param(req, 'prior_role_id'));
    const ids = (await roles.listImplications(prior.id)).map((i) => i.impliedRoleId);
    const implied = await roles.listRoles({ ids });
    return {
      role_inference: {
        prior_role: renderRoleRef(req, prior),
        implies: implied.map((r) => renderRoleRef(req, r)),
      },
      links: selfLinks(req, `roles/${prior.id}/implies`),
    };
  });

  app.put('/v3/roles/:prior_role_id/implies/:implied_role_id', async (req, reply) => {
    const { prior, implied } = await pair(req, 'identity:create_implied_role');
    if (
      PROHIBITED_IMPLIED.includes(implied.name) ||
      implied.domainId !== null ||
      prior.id === implied.id
    ) {
      throw new ForbiddenError(`${implied.id} cannot be an implied roles.`, {
        code: 'identity.forbidden',
      });
    }
    await roles.addImplication(prior.id, implied.id);
    reply.code(201);
    return inference(req, prior, implied);
  });

  app.get('/v3/roles/:prior_role_id/implies/:implied_role_id', async (req, reply) => {
    const rule =
      req.method === 'HEAD' ? 'identity:check_implied_role' : 'identity:get_implied_role';
    const { prior, implied } = await pair(req, rule);
    await assertImplies(prior, implied);
    if (req.method === 'HEAD') return reply.code(204).send();
    return inference(req, prior, implied);
  });

  app.delete('/v3/roles/:prior_role_id/implies/:implied_role_id', async (req, reply) => {
    const { prior, implied } = await pair(req, 'identity:delete_implied_role');
    await assertImplies(prior, implied);
    await roles.removeImplication(prior.id, implied.id);
    return reply.code(204).send();
  });

  app.get('/v3/role_inferences', async (req) => {
    authorize(deps, req, 'identity:list_role_inference_rules');
    const all = await roles.listImplications();
    const byId = new Map((await roles.listRoles()).map((r) => [r.id, r]));
    const grouped = new Map<string, Role[]>();
    for (const i of all) {
      const implied = byId.get(i.impliedRoleId);
      if (implied) grouped.set(i.priorRoleId, [...(grouped.get(i.priorRoleId) ?? []), implied]);
    }
    return {
      role_inferences: [...grouped].flatMap(([priorId, implied]) => {
        const prior = byId.get(priorId);
        return prior
          ? [
              {
                prior_role: renderRoleRef(req, prior),
                implies: implied.map((r) => renderRoleRef(req, r)),
              },
            ]
          : [];
      }),
      links: selfLinks(req, 'role_inferences'),
    };
  });
}
