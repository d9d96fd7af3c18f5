import type { Group } from '../store/group-store.js';
import type { Domain, Project } from '../store/resource-store.js';
import type { Role } from '../store/role-store.js';
import type { User } from '../store/user-store.js';

/**
 * The `target.<kind>` objects keystone's enforcer builds from the resources a route touches,
 * which its rules read as `%(target.project.domain_id)s` and the like.
 */
export const targets = {
  project: (p: Project | undefined) =>
    p ? { project: { id: p.id, name: p.name, domain_id: p.domainId, parent_id: p.parentId } } : {},
  domain: (d: Domain | undefined) => (d ? { domain: { id: d.id, name: d.name } } : {}),
  user: (u: User | undefined) =>
    u ? { user: { id: u.id, name: u.name, domain_id: u.domainId } } : {},
  group: (g: Group | undefined) =>
    g ? { group: { id: g.id, name: g.name, domain_id: g.domainId } } : {},
  role: (r: Role | undefined) =>
    r ? { role: { id: r.id, name: r.name, domain_id: r.domainId } } : {},
};
