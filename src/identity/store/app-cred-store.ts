import type { Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import { fromDbBoolean, toDbBoolean } from '../../platform/db/booleans.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { fromDbTimestamp, now, toDbTimestamp } from '../../platform/db/timestamps.js';
import { withTransaction } from '../../platform/db/with-transaction.js';
import { conflict, notFound } from '../identity-errors.js';
import { identityDb, type IdentityDb } from './rows.js';
import type { AppCredsTable } from './tables.js';

/** An application credential. */
export interface AppCred {
  id: string;
  name: string;
  userId: string;
  projectId: string | null;
  secretHash: string;
  description: string | null;
  expiresAt: Date | null;
  unrestricted: boolean;
  /** The roles it delegates (a subset of the user's roles on the project when created). */
  roleIds: string[];
}

function toAppCred(r: Selectable<AppCredsTable>, roleIds: string[]): AppCred {
  return {
    id: r.id,
    name: r.name,
    userId: r.user_id,
    projectId: r.project_id,
    secretHash: r.secret_hash,
    description: r.description,
    expiresAt: r.expires_at ? fromDbTimestamp(r.expires_at) : null,
    unrestricted: fromDbBoolean(r.unrestricted),
    roleIds,
  };
}

/** Application credentials and their roles. */
export class AppCredStore {
  private readonly db: IdentityDb;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.db = identityDb(database);
  }

  /** Creates a credential with its roles; a duplicate name for the user is a 409. */
  async create(c: AppCred): Promise<AppCred> {
    try {
      await withTransaction(this.database, async (trx) => {
        await trx
          .insertInto('identity_app_creds')
          .values({
            id: c.id,
            name: c.name,
            user_id: c.userId,
            project_id: c.projectId,
            secret_hash: c.secretHash,
            description: c.description,
            expires_at: c.expiresAt ? toDbTimestamp(c.expiresAt) : null,
            unrestricted: toDbBoolean(c.unrestricted),
            created_at: now(this.clock),
          })
          .execute();
        if (c.roleIds.length > 0) {
          await trx
            .insertInto('identity_app_cred_roles')
            .values(c.roleIds.map((role_id) => ({ app_cred_id: c.id, role_id })))
            .execute();
        }
      });
    } catch (err) {
      // Keystone words this conflict itself (application_credential/backends/sql.py).
      if (isUniqueViolation(err)) throw conflict('application_credential', 'Duplicate entry');
      throw err;
    }
    return c;
  }

  private async withRoles(rows: Selectable<AppCredsTable>[]): Promise<AppCred[]> {
    if (rows.length === 0) return [];
    const roles = await this.db
      .selectFrom('identity_app_cred_roles')
      .selectAll()
      .where(
        'app_cred_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.map((r) =>
      toAppCred(
        r,
        roles.filter((x) => x.app_cred_id === r.id).map((x) => x.role_id),
      ),
    );
  }

  /** A credential by id, or undefined. */
  async find(id: string): Promise<AppCred | undefined> {
    const r = await this.db
      .selectFrom('identity_app_creds')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? (await this.withRoles([r]))[0] : undefined;
  }

  /** A credential by id; 404 when it does not exist. */
  async get(id: string): Promise<AppCred> {
    const c = await this.find(id);
    if (!c) throw notFound('Application Credential', id);
    return c;
  }

  /** A user's credentials, optionally only the one with this name. */
  async listForUser(userId: string, name?: string): Promise<AppCred[]> {
    let q = this.db
      .selectFrom('identity_app_creds')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id');
    if (name !== undefined) q = q.where('name', '=', name);
    return this.withRoles(await q.execute());
  }

  /** Deletes a credential; false when it did not exist. */
  async delete(id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('identity_app_creds')
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Deletes a user's credentials on a project (keystone does so when a grant is revoked). */
  async deleteForUserOnProject(userId: string, projectId: string): Promise<void> {
    await this.db
      .deleteFrom('identity_app_creds')
      .where('user_id', '=', userId)
      .where('project_id', '=', projectId)
      .execute();
  }
}
