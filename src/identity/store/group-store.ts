import type { Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { toJsonColumn } from '../../platform/db/json-column.js';
import { now } from '../../platform/db/timestamps.js';
import { withTransaction } from '../../platform/db/with-transaction.js';
import { duplicate, notFound } from '../identity-errors.js';
import { identityDb, readObject, type Extra, type IdentityDb } from './rows.js';
import type { GroupsTable } from './tables.js';

/** A group of users. */
export interface Group {
  id: string;
  name: string;
  domainId: string;
  description: string | null;
  extra: Extra;
}

/** Fields a group update may change. */
export type GroupPatch = Partial<Pick<Group, 'name' | 'description' | 'extra'>>;

function toGroup(r: Selectable<GroupsTable>): Group {
  return {
    id: r.id,
    name: r.name,
    domainId: r.domain_id,
    description: r.description,
    extra: readObject(r.extra, 'identity_groups.extra'),
  };
}

/** Groups and their members. */
export class GroupStore {
  private readonly db: IdentityDb;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.db = identityDb(database);
  }

  /** Creates a group; a duplicate name in the domain is a 409. */
  async createGroup(g: Group): Promise<Group> {
    try {
      await this.db
        .insertInto('identity_groups')
        .values({
          id: g.id,
          name: g.name,
          domain_id: g.domainId,
          description: g.description,
          extra: toJsonColumn(g.extra),
          created_at: now(this.clock),
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('group', 'name', g.name, g.domainId);
      throw err;
    }
    return g;
  }

  /** A group by id, or undefined. */
  async findGroup(id: string): Promise<Group | undefined> {
    const r = await this.db
      .selectFrom('identity_groups')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toGroup(r);
  }

  /** A group by id; 404 when it does not exist. */
  async getGroup(id: string): Promise<Group> {
    const g = await this.findGroup(id);
    if (!g) throw notFound('group', id);
    return g;
  }

  /** Groups, optionally of one domain or only these ids. */
  async listGroups(filter: { domainId?: string; ids?: string[] } = {}): Promise<Group[]> {
    if (filter.ids && filter.ids.length === 0) return [];
    let q = this.db.selectFrom('identity_groups').selectAll().orderBy('created_at').orderBy('id');
    if (filter.domainId) q = q.where('domain_id', '=', filter.domainId);
    if (filter.ids) q = q.where('id', 'in', filter.ids);
    return (await q.execute()).map(toGroup);
  }

  /** Updates a group. */
  async updateGroup(id: string, patch: GroupPatch): Promise<Group> {
    const next = { ...(await this.getGroup(id)), ...patch };
    try {
      await this.db
        .updateTable('identity_groups')
        .set({ name: next.name, description: next.description, extra: toJsonColumn(next.extra) })
        .where('id', '=', id)
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('group', 'name', next.name, next.domainId);
      throw err;
    }
    return next;
  }

  /** Deletes a group with its memberships and assignments. */
  async deleteGroup(id: string): Promise<void> {
    await this.getGroup(id);
    await withTransaction(this.database, async (trx) => {
      await trx.deleteFrom('identity_assignments').where('actor_id', '=', id).execute();
      await trx.deleteFrom('identity_groups').where('id', '=', id).execute();
    });
  }

  /** Adds a user to a group (idempotent, as keystone's PUT). */
  async addMember(groupId: string, userId: string): Promise<void> {
    await this.db
      .insertInto('identity_group_members')
      .values({ group_id: groupId, user_id: userId })
      .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
      .execute();
  }

  /** Removes a user from a group; false when the user was not a member. */
  async removeMember(groupId: string, userId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('identity_group_members')
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** True when the user is in the group. */
  async isMember(groupId: string, userId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('identity_group_members')
      .select('user_id')
      .where('group_id', '=', groupId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** The ids of a group's members. */
  async memberIds(groupId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('identity_group_members')
      .select('user_id')
      .where('group_id', '=', groupId)
      .execute();
    return rows.map((r) => r.user_id);
  }

  /** The ids of the groups a user is in. */
  async groupIdsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('identity_group_members')
      .select('group_id')
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => r.group_id);
  }
}
