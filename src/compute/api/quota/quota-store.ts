import type { Kysely } from 'kysely';
import type { Clock } from '../../../common/clock.js';
import type { Database } from '../../../platform/db/database.js';
import { now } from '../../../platform/db/timestamps.js';
import { withTransaction } from '../../../platform/db/with-transaction.js';
import type { ApiDatabase } from '../../api-db-tables.js';

/** Resource name → hard limit. */
export type Limits = Record<string, number>;

/**
 * The quota limits stored in the compute API database: per project, per user within a project,
 * and per quota class; usage counts of the resources that live in this database.
 */
export class QuotaStore {
  private readonly db: Kysely<ApiDatabase>;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.db = database.kysely as Kysely<ApiDatabase>;
  }

  /** A project's own limits. */
  async projectLimits(projectId: string): Promise<Limits> {
    const rows = await this.db
      .selectFrom('quotas')
      .select(['resource', 'hard_limit'])
      .where('project_id', '=', projectId)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.resource, r.hard_limit]));
  }

  /** A user's own limits within a project. */
  async userLimits(projectId: string, userId: string): Promise<Limits> {
    const rows = await this.db
      .selectFrom('project_user_quotas')
      .select(['resource', 'hard_limit'])
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.resource, r.hard_limit]));
  }

  /** The sum of every user's limit per resource in a project (what is already given out). */
  async userLimitTotals(projectId: string): Promise<Limits> {
    const rows = await this.db
      .selectFrom('project_user_quotas')
      .select(['resource', 'hard_limit'])
      .where('project_id', '=', projectId)
      .execute();
    const out: Limits = {};
    for (const r of rows) out[r.resource] = (out[r.resource] ?? 0) + r.hard_limit;
    return out;
  }

  /** A quota class's limits. */
  async classLimits(className: string): Promise<Limits> {
    const rows = await this.db
      .selectFrom('quota_classes')
      .select(['resource', 'hard_limit'])
      .where('class_name', '=', className)
      .execute();
    return Object.fromEntries(rows.map((r) => [r.resource, r.hard_limit]));
  }

  /** Sets limits of a project, or of a user within it, creating or replacing each. */
  async setLimits(projectId: string, userId: string | undefined, limits: Limits): Promise<void> {
    const ts = now(this.clock);
    await withTransaction(this.database as Database<ApiDatabase>, async (trx) => {
      for (const [resource, hard_limit] of Object.entries(limits)) {
        if (userId === undefined) {
          await trx
            .insertInto('quotas')
            .values({
              project_id: projectId,
              resource,
              hard_limit,
              created_at: ts,
              updated_at: null,
            })
            .onConflict((oc) =>
              oc.columns(['project_id', 'resource']).doUpdateSet({ hard_limit, updated_at: ts }),
            )
            .execute();
        } else {
          await trx
            .insertInto('project_user_quotas')
            .values({
              project_id: projectId,
              user_id: userId,
              resource,
              hard_limit,
              created_at: ts,
              updated_at: null,
            })
            .onConflict((oc) =>
              oc
                .columns(['user_id', 'project_id', 'resource'])
                .doUpdateSet({ hard_limit, updated_at: ts }),
            )
            .execute();
        }
      }
    });
  }

  /** Sets limits of a quota class, creating or replacing each. */
  async setClassLimits(className: string, limits: Limits): Promise<void> {
    const ts = now(this.clock);
    await withTransaction(this.database as Database<ApiDatabase>, async (trx) => {
      for (const [resource, hard_limit] of Object.entries(limits)) {
        await trx
          .insertInto('quota_classes')
          .values({ class_name: className, resource, hard_limit, created_at: ts, updated_at: null })
          .onConflict((oc) =>
            oc.columns(['class_name', 'resource']).doUpdateSet({ hard_limit, updated_at: ts }),
          )
          .execute();
      }
    });
  }

  /** Removes a project's limits (and its users'), or one user's limits. */
  async deleteLimits(projectId: string, userId?: string): Promise<void> {
    await withTransaction(this.database as Database<ApiDatabase>, async (trx) => {
      let users = trx.deleteFrom('project_user_quotas').where('project_id', '=', projectId);
      if (userId !== undefined) users = users.where('user_id', '=', userId);
      await users.execute();
      if (userId === undefined) {
        await trx.deleteFrom('quotas').where('project_id', '=', projectId).execute();
      }
    });
  }

  /** How many key pairs a user has. */
  async countKeyPairs(userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('key_pairs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** How many server groups a project (and one of its users) has. */
  async countServerGroups(
    projectId: string,
    userId?: string,
  ): Promise<{ project: number; user?: number }> {
    const count = async (user?: string) => {
      let q = this.db
        .selectFrom('instance_groups')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('project_id', '=', projectId);
      if (user !== undefined) q = q.where('user_id', '=', user);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    const project = await count();
    return userId === undefined ? { project } : { project, user: await count(userId) };
  }
}
