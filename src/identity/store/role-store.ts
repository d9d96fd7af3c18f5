import type { Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { toJsonColumn } from '../../platform/db/json-column.js';
import { now } from '../../platform/db/timestamps.js';
import { duplicate, notFound } from '../identity-errors.js';
import { identityDb, readObject, type Extra, type IdentityDb } from './rows.js';
import type { RolesTable } from './tables.js';

/** A role; `domainId` null for a global role. */
export interface Role {
  id: string;
  name: string;
  domainId: string | null;
  description: string | null;
  options: Record<string, unknown>;
  extra: Extra;
}

/** Fields a role update may change. */
export type RolePatch = Partial<Pick<Role, 'name' | 'description' | 'options' | 'extra'>>;

/** One implication: holding `priorRoleId` also grants `impliedRoleId`. */
export interface RoleImplication {
  priorRoleId: string;
  impliedRoleId: string;
}

// Global roles store '' (see RolesTable).
const GLOBAL = '';

function toRole(r: Selectable<RolesTable>): Role {
  return {
    id: r.id,
    name: r.name,
    domainId: r.domain_id === GLOBAL ? null : r.domain_id,
    description: r.description,
    options: readObject(r.options, 'identity_roles.options'),
    extra: readObject(r.extra, 'identity_roles.extra'),
  };
}

/** Roles and implied roles. */
export class RoleStore {
  private readonly db: IdentityDb;

  constructor(
    database: Database,
    private readonly clock: Clock,
  ) {
    this.db = identityDb(database);
  }

  /** Creates a role; a duplicate name (globally, or in its domain) is a 409. */
  async createRole(r: Role): Promise<Role> {
    try {
      await this.db
        .insertInto('identity_roles')
        .values({
          id: r.id,
          name: r.name,
          domain_id: r.domainId ?? GLOBAL,
          description: r.description,
          options: toJsonColumn(r.options),
          extra: toJsonColumn(r.extra),
          created_at: now(this.clock),
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('role', 'name', r.name, r.domainId);
      throw err;
    }
    return r;
  }

  /** A role by id, or undefined. */
  async findRole(id: string): Promise<Role | undefined> {
    const r = await this.db
      .selectFrom('identity_roles')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toRole(r);
  }

  /** A role by id; 404 when it does not exist. */
  async getRole(id: string): Promise<Role> {
    const r = await this.findRole(id);
    if (!r) throw notFound('role', id);
    return r;
  }

  /** A role by name: global when `domainId` is null. */
  async findRoleByName(name: string, domainId: string | null): Promise<Role | undefined> {
    const r = await this.db
      .selectFrom('identity_roles')
      .selectAll()
      .where('name', '=', name)
      .where('domain_id', '=', domainId ?? GLOBAL)
      .executeTakeFirst();
    return r && toRole(r);
  }

  /** Roles: every role, those of a domain (or global ones with null), or only these ids. */
  async listRoles(filter: { domainId?: string | null; ids?: string[] } = {}): Promise<Role[]> {
    if (filter.ids && filter.ids.length === 0) return [];
    let q = this.db.selectFrom('identity_roles').selectAll().orderBy('created_at').orderBy('id');
    if (filter.domainId !== undefined) q = q.where('domain_id', '=', filter.domainId ?? GLOBAL);
    if (filter.ids) q = q.where('id', 'in', filter.ids);
    return (await q.execute()).map(toRole);
  }

  /** Updates a role. */
  async updateRole(id: string, patch: RolePatch): Promise<Role> {
    const next = { ...(await this.getRole(id)), ...patch };
    try {
      await this.db
        .updateTable('identity_roles')
        .set({
          name: next.name,
          description: next.description,
          options: toJsonColumn(next.options),
          extra: toJsonColumn(next.extra),
        })
        .where('id', '=', id)
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('role', 'name', next.name, next.domainId);
      throw err;
    }
    return next;
  }

  /** Deletes a role; its grants and implications go with it (ON DELETE CASCADE). */
  async deleteRole(id: string): Promise<void> {
    await this.getRole(id);
    await this.db.deleteFrom('identity_roles').where('id', '=', id).execute();
  }

  /** Records that `prior` implies `implied` (idempotent). */
  async addImplication(priorRoleId: string, impliedRoleId: string): Promise<void> {
    await this.db
      .insertInto('identity_implied_roles')
      .values({ prior_role_id: priorRoleId, implied_role_id: impliedRoleId })
      .onConflict((oc) => oc.columns(['prior_role_id', 'implied_role_id']).doNothing())
      .execute();
  }

  /** Removes an implication; false when it did not exist. */
  async removeImplication(priorRoleId: string, impliedRoleId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('identity_implied_roles')
      .where('prior_role_id', '=', priorRoleId)
      .where('implied_role_id', '=', impliedRoleId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Every implication, or those of one prior role. */
  async listImplications(priorRoleId?: string): Promise<RoleImplication[]> {
    let q = this.db.selectFrom('identity_implied_roles').selectAll();
    if (priorRoleId) q = q.where('prior_role_id', '=', priorRoleId);
    const rows = await q.execute();
    return rows.map((r) => ({ priorRoleId: r.prior_role_id, impliedRoleId: r.implied_role_id }));
  }
}
