import { SYSTEM_TARGET, type Assignment, type AssignmentType } from '../store/assignment-store.js';
import type { IdentityStore } from '../store/identity-store.js';
import type { Project } from '../store/resource-store.js';

/**
 * One row of GET /v3/role_assignments before rendering, as keystone's assignment manager
 * returns it: an actor, a scope, a role, and in effective mode where it came from.
 */
export interface AssignmentEntity {
  userId?: string;
  groupId?: string;
  projectId?: string;
  domainId?: string;
  system?: true;
  roleId: string;
  /** A grant inherited to the projects below its target (listed as such, not expanded). */
  inheritedToProjects: boolean;
  /** Effective mode: the group, inherited-from target or prior role this row comes from. */
  indirect?: { groupId?: string; projectId?: string; domainId?: string; roleId?: string };
}

/** The filters of GET /v3/role_assignments. */
export interface AssignmentQuery {
  userId?: string;
  groupId?: string;
  projectId?: string;
  domainId?: string;
  system?: boolean;
  roleId?: string;
  /** `scope.OS-INHERIT:inherited_to`: true for inherited only, false for direct only. */
  inherited?: boolean;
  effective: boolean;
  includeSubtree: boolean;
}

function toEntity(a: Assignment): AssignmentEntity {
  const e: AssignmentEntity = { roleId: a.roleId, inheritedToProjects: a.inherited };
  if (a.type.startsWith('User')) e.userId = a.actorId;
  else e.groupId = a.actorId;
  if (a.type.endsWith('Project')) e.projectId = a.targetId;
  else if (a.type.endsWith('Domain')) e.domainId = a.targetId;
  else e.system = true;
  return e;
}

/**
 * keystone's list_role_assignments: the grants matching the filters, or in effective mode what
 * they amount to for users: group grants expanded to the members, inherited grants to the
 * projects below, implied roles added, domain-specific roles dropped, system grants left out.
 */
export class AssignmentLister {
  constructor(private readonly store: IdentityStore) {}

  /** Runs the query. */
  async list(q: AssignmentQuery): Promise<AssignmentEntity[]> {
    const projects = await this.store.resources.listProjects();
    const projectIds = q.projectId
      ? q.includeSubtree
        ? [q.projectId, ...this.below(q.projectId, projects).map((p) => p.id)]
        : [q.projectId]
      : undefined;
    return q.effective ? this.effective(q, projects, projectIds) : this.direct(q, projectIds);
  }

  private async direct(q: AssignmentQuery, projectIds?: string[]): Promise<AssignmentEntity[]> {
    const types: AssignmentType[] = [];
    const actors = q.userId ? ['User'] : q.groupId ? ['Group'] : ['User', 'Group'];
    let scopes: string[];
    if (q.system) scopes = ['System'];
    else if (projectIds) scopes = ['Project'];
    else if (q.domainId) scopes = ['Domain'];
    // Keystone lists system grants too only when no project or domain is asked for.
    else scopes = ['Project', 'Domain', 'System'];
    for (const a of actors) for (const s of scopes) types.push(`${a}${s}` as AssignmentType);
    const rows = await this.store.assignments.list({
      types,
      ...(q.userId || q.groupId ? { actorIds: [(q.userId ?? q.groupId)!] } : {}),
      ...(projectIds ? { targetIds: projectIds } : q.domainId ? { targetIds: [q.domainId] } : {}),
      ...(q.system ? { targetIds: [SYSTEM_TARGET] } : {}),
      ...(q.roleId ? { roleId: q.roleId } : {}),
    });
    return rows
      .filter(
        (a) =>
          a.type.endsWith('System') || q.inherited === undefined || a.inherited === q.inherited,
      )
      .map(toEntity);
  }

  private below(id: string, all: Project[]): Project[] {
    const out: Project[] = [];
    const queue = [id];
    while (queue.length > 0) {
      const parent = queue.shift()!;
      for (const p of all) {
        if (p.parentId === parent && !out.includes(p)) {
          out.push(p);
          queue.push(p.id);
        }
      }
    }
    return out;
  }

  private async effective(
    q: AssignmentQuery,
    projects: Project[],
    projectIds?: string[],
  ): Promise<AssignmentEntity[]> {
    // Keystone ignores the inherited filter for a domain in effective mode: none can show.
    const inherited = q.domainId ? false : q.inherited;
    const groupIds = q.userId ? await this.store.groups.groupIdsOf(q.userId) : undefined;
    const all = await this.store.assignments.list({
      types: ['UserProject', 'UserDomain', 'GroupProject', 'GroupDomain'],
    });
    const relevant = all.filter(
      (a) =>
        (inherited === undefined || a.inherited === inherited) &&
        (!q.userId ||
          (a.type.startsWith('User') ? a.actorId === q.userId : groupIds!.includes(a.actorId))),
    );

    const rows: AssignmentEntity[] = [];
    for (const a of relevant) {
      const users = a.type.startsWith('Group')
        ? q.userId
          ? [q.userId]
          : await this.store.groups.memberIds(a.actorId)
        : [a.actorId];
      const viaGroup = a.type.startsWith('Group') ? { groupId: a.actorId } : {};
      for (const userId of users) {
        if (!a.inherited) {
          const e: AssignmentEntity = { userId, roleId: a.roleId, inheritedToProjects: false };
          if (a.type.endsWith('Project')) e.projectId = a.targetId;
          else e.domainId = a.targetId;
          if (a.type.startsWith('Group')) e.indirect = { ...viaGroup };
          rows.push(e);
          continue;
        }
        const onDomain = a.type.endsWith('Domain');
        const reached = onDomain
          ? projects.filter((p) => p.domainId === a.targetId)
          : this.below(a.targetId, projects);
        for (const p of reached) {
          rows.push({
            userId,
            projectId: p.id,
            roleId: a.roleId,
            inheritedToProjects: false,
            indirect: {
              ...viaGroup,
              ...(onDomain ? { domainId: a.targetId } : { projectId: a.targetId }),
            },
          });
        }
      }
    }
    const scoped = rows.filter((r) =>
      projectIds
        ? r.projectId !== undefined && projectIds.includes(r.projectId)
        : q.domainId
          ? r.domainId === q.domainId
          : true,
    );
    const withImplied = await this.addImplied(scoped);
    const globalRoles = new Set(
      (await this.store.roles.listRoles({ domainId: null })).map((r) => r.id),
    );
    return withImplied.filter(
      (r) => globalRoles.has(r.roleId) && (!q.roleId || r.roleId === q.roleId),
    );
  }

  /** keystone's add_implied_roles: each implied role as a row whose indirect role is its prior. */
  private async addImplied(rows: AssignmentEntity[]): Promise<AssignmentEntity[]> {
    const implications = await this.store.roles.listImplications();
    const out: AssignmentEntity[] = [];
    for (const row of rows) {
      out.push(row);
      const seen = new Set([row.roleId]);
      const queue: AssignmentEntity[] = [row];
      while (queue.length > 0) {
        const prior = queue.shift()!;
        for (const i of implications) {
          if (i.priorRoleId !== prior.roleId || seen.has(i.impliedRoleId)) continue;
          seen.add(i.impliedRoleId);
          const implied: AssignmentEntity = {
            ...prior,
            roleId: i.impliedRoleId,
            indirect: { ...prior.indirect, roleId: prior.roleId },
          };
          out.push(implied);
          queue.push(implied);
        }
      }
    }
    return out;
  }
}
