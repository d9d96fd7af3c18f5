import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, GrantTarget } from '../../core/grant-service.js';
import { GrantService } from '../../core/grant-service.js';
import { authorize, type IdentityApiDeps } from '../identity-api.js';
import { wrapCollection } from '../list-query.js';
import { targets } from '../policy-targets.js';
import { param } from '../request-body.js';
import { renderRole } from '../views/role-views.js';

type TargetKind = 'project' | 'domain' | 'system';
type ActorKind = 'user' | 'group';

/**
 * Role grants: `/v3/{projects,domains}/{id}/{users,groups}/{id}/roles[/{role_id}]`, their
 * OS-INHERIT `inherited_to_projects` forms, and `/v3/system/{users,groups}/{id}/roles`.
 */
export function registerGrantRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const grants = new GrantService(deps.store);
  const { resources, users, groups, roles } = deps.store;

  /** Looks up the URL's target, actor and role (when present) and authorizes the rule. */
  const resolve = async (req: FastifyRequest, t: TargetKind, a: ActorKind, rule: string) => {
    const tid = t === 'system' ? undefined : param(req, `${t}_id`);
    const aid = param(req, `${a}_id`);
    const rid = (req.params as Record<string, string>).role_id;
    const [project, domain, user, group, role] = await Promise.all([
      t === 'project' ? resources.findProject(tid!) : undefined,
      t === 'domain' ? resources.findDomain(tid!) : undefined,
      a === 'user' ? users.findUser(aid) : undefined,
      a === 'group' ? groups.findGroup(aid) : undefined,
      rid ? roles.findRole(rid) : undefined,
    ]);
    authorize(deps, req, rule, {
      target: {
        ...targets.project(project),
        ...targets.domain(domain),
        ...targets.user(user),
        ...targets.group(group),
        ...targets.role(role),
      },
    });
    // 404s after the policy check, as keystone's enforcer builds targets before looking up.
    let target: GrantTarget = { kind: 'system' };
    if (t === 'project') {
      const p = project ?? (await resources.getProject(tid!));
      target = { kind: 'project', id: p.id, domainId: p.domainId };
    } else if (t === 'domain') {
      const d = domain ?? (await resources.getDomain(tid!));
      target = { kind: 'domain', id: d.id, domainId: d.id };
    }
    const found =
      user ?? group ?? (a === 'user' ? await users.getUser(aid) : await groups.getGroup(aid));
    const actor: Actor = { kind: a, id: found.id };
    return { target, actor, role: rid ? (role ?? (await roles.getRole(rid))) : undefined };
  };

  const register = (prefix: string, t: TargetKind, a: ActorKind, inherited: boolean) => {
    const system = t === 'system';
    const suffix = inherited ? '/inherited_to_projects' : '';
    const one = `${prefix}/roles/:role_id${suffix}`;
    // keystone names the system rules apart: identity:create_system_grant_for_user, ...
    const rule = (action: 'create' | 'check' | 'revoke' | 'list') => {
      const noun = action === 'list' ? 'grants' : 'grant';
      return system ? `identity:${action}_system_${noun}_for_${a}` : `identity:${action}_${noun}`;
    };

    app.put(one, async (req, reply) => {
      const r = await resolve(req, t, a, rule('create'));
      await grants.grant(r.actor, r.target, r.role!, inherited);
      return reply.code(204).send();
    });
    app.get(one, async (req, reply) => {
      const r = await resolve(req, t, a, rule('check'));
      await grants.check(r.actor, r.target, r.role!, inherited);
      return reply.code(204).send();
    });
    app.delete(one, async (req, reply) => {
      const r = await resolve(req, t, a, rule('revoke'));
      await grants.revoke(r.actor, r.target, r.role!, inherited);
      return reply.code(204).send();
    });
    app.get(`${prefix}/roles${suffix}`, async (req) => {
      const r = await resolve(req, t, a, rule('list'));
      const list = await grants.roles(r.actor, r.target, inherited);
      return wrapCollection(
        req,
        'roles',
        list.map((x) => renderRole(req, x)),
      );
    });
  };

  for (const a of ['user', 'group'] as const) {
    const actorPath = `${a}s/:${a}_id`;
    for (const t of ['project', 'domain'] as const) {
      register(`/v3/${t}s/:${t}_id/${actorPath}`, t, a, false);
    }
    register(`/v3/OS-INHERIT/domains/:domain_id/${actorPath}`, 'domain', a, true);
    register(`/v3/OS-INHERIT/projects/:project_id/${actorPath}`, 'project', a, true);
    register(`/v3/system/${actorPath}`, 'system', a, false);
  }
}
