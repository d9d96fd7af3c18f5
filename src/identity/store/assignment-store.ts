import { fromDbBoolean, toDbBoolean } from '../../platform/db/booleans.js';
import type { Database } from '../../platform/db/database.js';
import { identityDb, type IdentityDb } from './rows.js';
import type { AssignmentType } from './tables.js';

export type { AssignmentType } from './tables.js';

/** One grant of a role to an actor (user or group) on a target (project, domain or system). */
export interface Assignment {
  type: AssignmentType;
  actorId: string;
  /** Project or domain id, or `all` for the system. */
  targetId: string;
  roleId: string;
  /** Inherited to the projects below the target (OS-INHERIT). */
  inherited: boolean;
}

/** Which assignments to list; every field narrows, unset fields match everything. */
export interface AssignmentFilter {
  types?: AssignmentType[];
  actorIds?: string[];
  targetIds?: string[];
  roleId?: string;
  inherited?: boolean;
}

/** The system target's id, as keystone's system_assignment table stores it. */
export const SYSTEM_TARGET = 'all';

/** Role assignments (keystone's assignment and system_assignment tables in one). */
export class AssignmentStore {
  private readonly db: IdentityDb;

  constructor(database: Database) {
    this.db = identityDb(database);
  }

  /** Grants a role; granting twice is not an error (keystone's PUT is idempotent). */
  async grant(a: Assignment): Promise<void> {
    await this.db
      .insertInto('identity_assignments')
      .values({
        type: a.type,
        actor_id: a.actorId,
        target_id: a.targetId,
        role_id: a.roleId,
        inherited: toDbBoolean(a.inherited),
      })
      .onConflict((oc) =>
        oc.columns(['type', 'actor_id', 'target_id', 'role_id', 'inherited']).doNothing(),
      )
      .execute();
  }

  /** Revokes a grant; false when there was none. */
  async revoke(a: Assignment): Promise<boolean> {
    const r = await this.db
      .deleteFrom('identity_assignments')
      .where('type', '=', a.type)
      .where('actor_id', '=', a.actorId)
      .where('target_id', '=', a.targetId)
      .where('role_id', '=', a.roleId)
      .where('inherited', '=', toDbBoolean(a.inherited))
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** True when exactly this grant exists. */
  async exists(a: Assignment): Promise<boolean> {
    const rows = await this.list({
      types: [a.type],
      actorIds: [a.actorId],
      targetIds: [a.targetId],
      roleId: a.roleId,
      inherited: a.inherited,
    });
    return rows.length > 0;
  }

  /** Lists grants matching the filter. */
  async list(f: AssignmentFilter = {}): Promise<Assignment[]> {
    if (f.types?.length === 0 || f.actorIds?.length === 0 || f.targetIds?.length === 0) return [];
    let q = this.db.selectFrom('identity_assignments').selectAll();
    if (f.types) q = q.where('type', 'in', f.types);
    if (f.actorIds) q = q.where('actor_id', 'in', f.actorIds);
    if (f.targetIds) q = q.where('target_id', 'in', f.targetIds);
    if (f.roleId) q = q.where('role_id', '=', f.roleId);
    if (f.inherited !== undefined) q = q.where('inherited', '=', toDbBoolean(f.inherited));
    const rows = await q
      .orderBy('type')
      .orderBy('actor_id')
      .orderBy('target_id')
      .orderBy('role_id')
      .execute();
    return rows.map((r) => ({
      type: r.type,
      actorId: r.actor_id,
      targetId: r.target_id,
      roleId: r.role_id,
      inherited: fromDbBoolean(r.inherited),
    }));
  }
}
