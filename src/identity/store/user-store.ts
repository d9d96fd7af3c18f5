import type { Selectable, Updateable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { fromDbBoolean, toDbBoolean } from '../../platform/db/booleans.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { toJsonColumn } from '../../platform/db/json-column.js';
import { fromDbTimestamp, now } from '../../platform/db/timestamps.js';
import { withTransaction } from '../../platform/db/with-transaction.js';
import { duplicate, notFound } from '../identity-errors.js';
import { identityDb, readObject, type Extra, type IdentityDb } from './rows.js';
import type { UsersTable } from './tables.js';

/** A local user. */
export interface User {
  id: string;
  name: string;
  domainId: string;
  enabled: boolean;
  defaultProjectId: string | null;
  /** scrypt hash, or null for a user without a password (cannot log in with one). */
  passwordHash: string | null;
  passwordCreatedAt: Date | null;
  failedAuthCount: number;
  failedAuthAt: Date | null;
  /** Keystone user options (e.g. ignore_lockout_failure_attempts). */
  options: Record<string, unknown>;
  extra: Extra;
}

/** What a new user needs; the hash is made by the caller. */
export type NewUser = Omit<User, 'passwordCreatedAt' | 'failedAuthCount' | 'failedAuthAt'>;

/** Fields a user update may change (the password hash separately). */
export type UserPatch = Partial<
  Pick<User, 'name' | 'enabled' | 'defaultProjectId' | 'options' | 'extra'>
> & { passwordHash?: string | null };

function toUser(r: Selectable<UsersTable>): User {
  return {
    id: r.id,
    name: r.name,
    domainId: r.domain_id,
    enabled: fromDbBoolean(r.enabled),
    defaultProjectId: r.default_project_id,
    passwordHash: r.password_hash,
    passwordCreatedAt: r.password_created_at ? fromDbTimestamp(r.password_created_at) : null,
    failedAuthCount: r.failed_auth_count,
    failedAuthAt: r.failed_auth_at ? fromDbTimestamp(r.failed_auth_at) : null,
    options: readObject(r.options, 'identity_users.options'),
    extra: readObject(r.extra, 'identity_users.extra'),
  };
}

/** Users, their password hashes and lockout counters (keystone's identity SQL backend). */
export class UserStore {
  private readonly db: IdentityDb;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.db = identityDb(database);
  }

  /** Creates a user; a duplicate name in the domain is a 409. */
  async createUser(u: NewUser): Promise<User> {
    const ts = now(this.clock);
    try {
      await this.db
        .insertInto('identity_users')
        .values({
          id: u.id,
          name: u.name,
          domain_id: u.domainId,
          enabled: toDbBoolean(u.enabled),
          default_project_id: u.defaultProjectId,
          password_hash: u.passwordHash,
          password_created_at: u.passwordHash ? ts : null,
          failed_auth_count: 0,
          failed_auth_at: null,
          options: toJsonColumn(u.options),
          extra: toJsonColumn(u.extra),
          created_at: ts,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('user', 'name', u.name, u.domainId);
      throw err;
    }
    return this.getUser(u.id);
  }

  /** A user by id, or undefined. */
  async findUser(id: string): Promise<User | undefined> {
    const r = await this.db
      .selectFrom('identity_users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r && toUser(r);
  }

  /** A user by id; 404 when it does not exist. */
  async getUser(id: string): Promise<User> {
    const u = await this.findUser(id);
    if (!u) throw notFound('user', id);
    return u;
  }

  /** A user by name in a domain, or undefined. */
  async findUserByName(name: string, domainId: string): Promise<User | undefined> {
    const r = await this.db
      .selectFrom('identity_users')
      .selectAll()
      .where('name', '=', name)
      .where('domain_id', '=', domainId)
      .executeTakeFirst();
    return r && toUser(r);
  }

  /** Users, optionally of one domain or only these ids, ordered by id. */
  async listUsers(filter: { domainId?: string; ids?: string[] } = {}): Promise<User[]> {
    if (filter.ids && filter.ids.length === 0) return [];
    // Keystone pages projects and users by id, so that is their list order.
    let q = this.db.selectFrom('identity_users').selectAll().orderBy('id');
    if (filter.domainId) q = q.where('domain_id', '=', filter.domainId);
    if (filter.ids) q = q.where('id', 'in', filter.ids);
    return (await q.execute()).map(toUser);
  }

  /** Updates a user; a new password hash also resets the lockout counters. */
  async updateUser(id: string, patch: UserPatch): Promise<User> {
    const current = await this.getUser(id);
    const next = { ...current, ...patch };
    const set: Updateable<UsersTable> = {
      name: next.name,
      enabled: toDbBoolean(next.enabled),
      default_project_id: next.defaultProjectId,
      options: toJsonColumn(next.options),
      extra: toJsonColumn(next.extra),
    };
    if (patch.passwordHash !== undefined) {
      set.password_hash = patch.passwordHash;
      set.password_created_at = patch.passwordHash ? now(this.clock) : null;
      set.failed_auth_count = 0;
      set.failed_auth_at = null;
    }
    try {
      await this.db.updateTable('identity_users').set(set).where('id', '=', id).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate('user', 'name', next.name, next.domainId);
      throw err;
    }
    return this.getUser(id);
  }

  /** Counts a failed password attempt (for lockout). */
  async recordFailedAuth(id: string): Promise<void> {
    await this.db
      .updateTable('identity_users')
      .set((eb) => ({
        failed_auth_count: eb('failed_auth_count', '+', 1),
        failed_auth_at: now(this.clock),
      }))
      .where('id', '=', id)
      .execute();
  }

  /** Clears the failed attempts after a successful login. */
  async resetFailedAuth(id: string): Promise<void> {
    await this.db
      .updateTable('identity_users')
      .set({ failed_auth_count: 0, failed_auth_at: null })
      .where('id', '=', id)
      .where('failed_auth_count', '>', 0)
      .execute();
  }

  /** Deletes a user with its memberships, credentials and assignments. */
  async deleteUser(id: string): Promise<void> {
    await this.getUser(id);
    await withTransaction(this.database, async (trx) => {
      await trx.deleteFrom('identity_assignments').where('actor_id', '=', id).execute();
      // Memberships and application credentials go with the row (ON DELETE CASCADE).
      await trx.deleteFrom('identity_users').where('id', '=', id).execute();
    });
  }
}
