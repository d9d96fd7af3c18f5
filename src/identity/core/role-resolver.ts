import type { Assignment, AssignmentType } from '../store/assignment-store.js';
import { SYSTEM_TARGET } from '../store/assignment-store.js';
import type { IdentityStore } from '../store/identity-store.js';
import type { Project } from '../store/resource-store.js';
import type { Role } from '../store/role-store.js';

/**
 * Works out the roles a user holds on a target: direct grants, grants to the user's groups,
 * grants inherited from the project's domain and parent projects, then roles implied by those,
 * transitively. Domain-specific roles lend their implied roles but are not themselves effective,
 * as keystone strips them from tokens.
 */
export class RoleResolver {
  constructor(private readonly store: IdentityStore) {}

  private async actorIds(userId: string): Promise<{ users: string[]; groups: string[] }> {
    return { users: [userId], groups: await this.store.groups.groupIdsOf(userId) };
  }

  private async grants(
    userId: string,
    userType: AssignmentType,
    groupType: AssignmentType,
    targetIds: string[],
    inherited: boolean | undefined,
  ): Promise<Assignment[]> {
    const { users, groups } = await this.actorIds(userId);
    const [direct, viaGroups] = await Promise.all([
      this.store.assignments.list({ types: [userType], actorIds: users, targetIds, inherited }),
      this.store.assignments.list({ types: [groupType], actorIds: groups, targetIds, inherited }),
    ]);
    return [...direct, ...viaGroups];
  }

  /** A project's ancestors, nearest first. */
  async ancestors(project: Project): Promise<Project[]> {
    const out: Project[] = [];
    let parentId = project.parentId;
    // Bounded: a corrupt cycle must not hang a request.
    while (parentId && out.length < 64) {
      const parent = await this.store.resources.findProject(parentId);
      if (!parent) break;
      out.push(parent);
      parentId = parent.parentId;
    }
    return out;
  }

  /** The assignments that give a user roles on a project (before implied roles). */
  async projectGrants(userId: string, project: Project): Promise<Assignment[]> {
    const parents = await this.ancestors(project);
    const [onProject, fromDomain, fromParents] = await Promise.all([
      this.grants(userId, 'UserProject', 'GroupProject', [project.id], false),
      this.grants(userId, 'UserDomain', 'GroupDomain', [project.domainId], true),
      this.grants(
        userId,
        'UserProject',
        'GroupProject',
        parents.map((p) => p.id),
        true,
      ),
    ]);
    return [...onProject, ...fromDomain, ...fromParents];
  }

  /** Role ids a user holds on a project, implied roles included. */
  async projectRoleIds(userId: string, project: Project): Promise<string[]> {
    return this.expand((await this.projectGrants(userId, project)).map((a) => a.roleId));
  }

  /** Role ids a user holds on a domain (grants on the domain itself, not inherited ones). */
  async domainRoleIds(userId: string, domainId: string): Promise<string[]> {
    const grants = await this.grants(userId, 'UserDomain', 'GroupDomain', [domainId], false);
    return this.expand(grants.map((a) => a.roleId));
  }

  /** Role ids a user holds on the system. */
  async systemRoleIds(userId: string): Promise<string[]> {
    const grants = await this.grants(userId, 'UserSystem', 'GroupSystem', [SYSTEM_TARGET], false);
    return this.expand(grants.map((a) => a.roleId));
  }

  /** Adds implied roles (transitively) and drops domain-specific roles. */
  async expand(roleIds: string[]): Promise<string[]> {
    if (roleIds.length === 0) return [];
    const implied = await this.impliedMap();
    const seen = new Set<string>();
    const queue = [...roleIds];
    while (queue.length > 0) {
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(implied.get(id) ?? []));
    }
    const roles = await this.store.roles.listRoles({ ids: [...seen] });
    return roles.filter((r) => r.domainId === null).map((r) => r.id);
  }

  /** The roles of these ids, in a stable order. */
  async rolesOf(ids: string[]): Promise<Role[]> {
    const roles = await this.store.roles.listRoles({ ids });
    return roles.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** prior role id → the role ids it directly implies. */
  async impliedMap(): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>();
    for (const i of await this.store.roles.listImplications()) {
      map.set(i.priorRoleId, [...(map.get(i.priorRoleId) ?? []), i.impliedRoleId]);
    }
    return map;
  }

  /** Ids of the projects where the user holds any role (directly, by group or inherited). */
  async projectIdsOf(userId: string): Promise<string[]> {
    const { users, groups } = await this.actorIds(userId);
    const [direct, viaGroups] = await Promise.all([
      this.store.assignments.list({ types: ['UserProject', 'UserDomain'], actorIds: users }),
      this.store.assignments.list({ types: ['GroupProject', 'GroupDomain'], actorIds: groups }),
    ]);
    const ids = new Set<string>();
    const inheritedFrom: Assignment[] = [];
    for (const a of [...direct, ...viaGroups]) {
      if (a.type.endsWith('Project') && !a.inherited) ids.add(a.targetId);
      if (a.inherited) inheritedFrom.push(a);
    }
    if (inheritedFrom.length > 0) {
      const all = await this.store.resources.listProjects();
      for (const a of inheritedFrom) {
        const isDomain = a.type.endsWith('Domain');
        for (const p of all) {
          if (isDomain ? p.domainId === a.targetId : this.isBelow(p, a.targetId, all)) {
            ids.add(p.id);
          }
        }
      }
    }
    return [...ids];
  }

  private isBelow(p: Project, ancestorId: string, all: Project[]): boolean {
    const byId = new Map(all.map((x) => [x.id, x]));
    let parent = p.parentId;
    for (let depth = 0; parent && depth < 64; depth++) {
      if (parent === ancestorId) return true;
      parent = byId.get(parent)?.parentId ?? null;
    }
    return false;
  }

  /** Ids of the domains where the user holds a role on the domain itself. */
  async domainIdsOf(userId: string): Promise<string[]> {
    const { users, groups } = await this.actorIds(userId);
    const [direct, viaGroups] = await Promise.all([
      this.store.assignments.list({ types: ['UserDomain'], actorIds: users, inherited: false }),
      this.store.assignments.list({ types: ['GroupDomain'], actorIds: groups, inherited: false }),
    ]);
    return [...new Set([...direct, ...viaGroups].map((a) => a.targetId))];
  }
}
