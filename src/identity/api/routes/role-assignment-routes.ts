import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AssignmentLister, type AssignmentEntity } from '../../core/assignment-lister.js';
import { badRequest } from '../../identity-errors.js';
import type { IdentityStore } from '../../store/identity-store.js';
import { authorize, type IdentityApiDeps } from '../identity-api.js';
import { baseUrl, requestUrl } from '../links.js';
import { queryFlag, queryOf } from '../list-query.js';

/** Names for include_names, looked up once per request. */
async function nameBook(store: IdentityStore) {
  const [domains, projects, users, groups, roles] = await Promise.all([
    store.resources.listDomains(),
    store.resources.listProjects(),
    store.users.listUsers(),
    store.groups.listGroups(),
    store.roles.listRoles(),
  ]);
  const domainName = new Map(domains.map((d) => [d.id, d.name]));
  return {
    domain: (id: string) => ({ id, name: domainName.get(id) ?? '' }),
    project: new Map(projects.map((p) => [p.id, p])),
    user: new Map(users.map((u) => [u.id, u])),
    group: new Map(groups.map((g) => [g.id, g])),
    role: new Map(roles.map((r) => [r.id, r])),
  };
}

/** keystone's RoleAssignmentsResource._format_entity, link quirks included. */
function format(
  req: FastifyRequest,
  e: AssignmentEntity,
  names?: Awaited<ReturnType<typeof nameBook>>,
): Record<string, unknown> {
  const out: Record<string, any> = { links: {} };
  let link = '';
  let inherited = e.inheritedToProjects;
  if (e.projectId) {
    const p = names?.project.get(e.projectId);
    out.scope = {
      project: names
        ? { id: e.projectId, name: p?.name ?? '', domain: names.domain(p?.domainId ?? '') }
        : { id: e.projectId },
    };
    if (e.indirect?.domainId) {
      inherited = true;
      link = `/domains/${e.indirect.domainId}`;
    } else if (e.indirect?.projectId) {
      inherited = true;
      link = `/projects/${e.indirect.projectId}`;
    } else {
      link = `/projects/${e.projectId}`;
    }
  } else if (e.domainId) {
    out.scope = { domain: names ? names.domain(e.domainId) : { id: e.domainId } };
    link = `/domains/${e.domainId}`;
  } else {
    out.scope = { system: { all: true } };
    link = '/system';
  }
  if (e.userId) {
    const u = names?.user.get(e.userId);
    out.user = names
      ? { id: e.userId, name: u?.name ?? '', domain: names.domain(u?.domainId ?? '') }
      : { id: e.userId };
    if (e.indirect?.groupId) {
      out.links.membership = `${baseUrl(req)}/groups/${e.indirect.groupId}/users/${e.userId}`;
      link += `/groups/${e.indirect.groupId}`;
    } else {
      link += `/users/${e.userId}`;
    }
  } else if (e.groupId) {
    const g = names?.group.get(e.groupId);
    out.group = names
      ? { id: e.groupId, name: g?.name ?? '', domain: names.domain(g?.domainId ?? '') }
      : { id: e.groupId };
    link += `/groups/${e.groupId}`;
  }
  const role = names?.role.get(e.roleId);
  out.role = names ? { id: e.roleId, name: role?.name ?? '' } : { id: e.roleId };
  if (names && role?.domainId) out.role.domain = names.domain(role.domainId);
  let priorLink = '';
  if (e.indirect?.roleId) {
    link += `/roles/${e.indirect.roleId}`;
    // Upstream names the implied role first in this link; kept for compatibility.
    priorLink = `/prior_role/${e.roleId}/implies/${e.indirect.roleId}`;
  } else {
    link += `/roles/${e.roleId}`;
  }
  if (inherited) {
    out.scope['OS-INHERIT:inherited_to'] = 'projects';
    link = `/OS-INHERIT${link}/inherited_to_projects`;
  }
  out.links.assignment = `${baseUrl(req)}${link}`;
  if (priorLink) out.links.prior_role = `${baseUrl(req)}${priorLink}`;
  return out;
}

/** GET /v3/role_assignments with its filters, `effective`, `include_names`, `include_subtree`. */
export function registerRoleAssignmentRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const lister = new AssignmentLister(deps.store);

  app.get('/v3/role_assignments', async (req) => {
    const q = queryOf(req);
    const subtree = queryFlag(req, 'include_subtree');
    const domainScope = req.context.domainId ?? undefined;
    if (subtree) {
      const pid = q['scope.project.id'];
      const p = pid ? await deps.store.resources.getProject(pid) : undefined;
      authorize(deps, req, 'identity:list_role_assignments_for_tree', {
        target: p ? { project: { id: p.id, domain_id: p.domainId }, domain_id: p.domainId } : {},
      });
      if (!pid) {
        throw badRequest('scope.project.id must be specified if include_subtree is also specified');
      }
    } else {
      authorize(
        deps,
        req,
        'identity:list_role_assignments',
        domainScope ? { target: { domain_id: domainScope } } : {},
      );
    }
    if (q['scope.domain.id'] && q['scope.project.id'])
      throw badRequest('Specify a domain or project, not both');
    if (q['scope.domain.id'] && q['scope.system'])
      throw badRequest('Specify system or domain, not both');
    if (q['scope.project.id'] && q['scope.system'])
      throw badRequest('Specify system or project, not both');
    if (q['user.id'] && q['group.id']) throw badRequest('Specify a user or group, not both');
    const effective = queryFlag(req, 'effective');
    const inheritedTo = q['scope.OS-INHERIT:inherited_to'];
    const inherited = inheritedTo === undefined ? undefined : inheritedTo === 'projects';
    if (effective && q['group.id']) {
      throw badRequest('Combining effective and group filter will always result in an empty list.');
    }
    if (effective && inherited && q['scope.domain.id']) {
      throw badRequest(
        'Combining effective, domain and inherited filters will always result in an empty list.',
      );
    }
    let rows = await lister.list({
      ...(q['user.id'] ? { userId: q['user.id'] } : {}),
      ...(q['group.id'] ? { groupId: q['group.id'] } : {}),
      ...(q['scope.project.id'] ? { projectId: q['scope.project.id'] } : {}),
      ...(q['scope.domain.id'] ? { domainId: q['scope.domain.id'] } : {}),
      ...(q['scope.system'] === 'all' ? { system: true } : {}),
      ...(q['role.id'] ? { roleId: q['role.id'] } : {}),
      ...(inherited !== undefined ? { inherited } : {}),
      effective,
      includeSubtree: subtree,
    });
    if (domainScope) {
      // A domain-scoped caller sees assignments on its domain and its projects only.
      const inDomain = new Set(
        (await deps.store.resources.listProjects({ domainId: domainScope })).map((p) => p.id),
      );
      rows = rows.filter(
        (r) => r.domainId === domainScope || (r.projectId && inDomain.has(r.projectId)),
      );
    }
    const names = queryFlag(req, 'include_names') ? await nameBook(deps.store) : undefined;
    return {
      role_assignments: rows.map((r) => format(req, r, names)),
      links: { next: null, self: requestUrl(req), previous: null },
    };
  });
}
