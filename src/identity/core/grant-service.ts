import { ForbiddenError, NotFoundError } from '../../common/errors.js';
import { SYSTEM_TARGET, type Assignment, type AssignmentType } from '../store/assignment-store.js';
import type { IdentityStore } from '../store/identity-store.js';
import type { Role } from '../store/role-store.js';

/** Who a grant is for. */
export type Actor = { kind: 'user' | 'group'; id: string };
/** What a grant is on. */
export type GrantTarget =
  { kind: 'project' | 'domain'; id: string; domainId: string } | { kind: 'system' };

function assignmentType(actor: Actor, target: GrantTarget): AssignmentType {
  const a = actor.kind === 'user' ? 'User' : 'Group';
  const t = target.kind === 'project' ? 'Project' : target.kind === 'domain' ? 'Domain' : 'System';
  return `${a}${t}` as AssignmentType;
}

function targetId(target: GrantTarget): string {
  return target.kind === 'system' ? SYSTEM_TARGET : target.id;
}

/**
 * Role grants with keystone's rules: a domain-specific role only within its domain, a 404
 * naming role, actor and target when revoking what was never granted, and a user's application
 * credentials on a project deleted when one of its grants there is revoked.
 */
export class GrantService {
  constructor(private readonly store: IdentityStore) {}

  private assignment(
    actor: Actor,
    target: GrantTarget,
    role: Role,
    inherited: boolean,
  ): Assignment {
    return {
      type: assignmentType(actor, target),
      actorId: actor.id,
      targetId: targetId(target),
      roleId: role.id,
      inherited,
    };
  }

  /** Grants a role (idempotent). */
  async grant(actor: Actor, target: GrantTarget, role: Role, inherited = false): Promise<void> {
    if (role.domainId !== null && (target.kind === 'system' || target.domainId !== role.domainId)) {
      const what = target.kind === 'system' ? 'system' : target.id;
      throw new ForbiddenError(
        `Project ${what} must be in the same domain as the role ${role.id} being assigned.`,
        { code: 'identity.forbidden' },
      );
    }
    await this.store.assignments.grant(this.assignment(actor, target, role, inherited));
  }

  /** True when exactly this grant exists. */
  async exists(actor: Actor, target: GrantTarget, role: Role, inherited = false): Promise<boolean> {
    return this.store.assignments.exists(this.assignment(actor, target, role, inherited));
  }

  /** Throws keystone's RoleAssignmentNotFound unless the grant exists. */
  async check(actor: Actor, target: GrantTarget, role: Role, inherited = false): Promise<void> {
    if (!(await this.exists(actor, target, role, inherited))) {
      throw new NotFoundError(
        `Could not find role assignment with role: ${role.id}, user or group: ${actor.id}, ` +
          `project, domain, or system: ${targetId(target)}.`,
        { code: 'identity.not_found' },
      );
    }
  }

  /** Revokes a grant; 404 when there was none. */
  async revoke(actor: Actor, target: GrantTarget, role: Role, inherited = false): Promise<void> {
    await this.check(actor, target, role, inherited);
    await this.store.assignments.revoke(this.assignment(actor, target, role, inherited));
    if (actor.kind === 'user' && target.kind === 'project') {
      await this.store.appCreds.deleteForUserOnProject(actor.id, target.id);
    }
  }

  /** The roles granted directly to the actor on the target. */
  async roles(actor: Actor, target: GrantTarget, inherited = false): Promise<Role[]> {
    const rows = await this.store.assignments.list({
      types: [assignmentType(actor, target)],
      actorIds: [actor.id],
      targetIds: [targetId(target)],
      inherited,
    });
    return this.store.roles.listRoles({ ids: rows.map((r) => r.roleId) });
  }
}
