import type { Kysely } from 'kysely';
import type { Clock } from '../../../common/clock.js';
import { NotFoundError } from '../../../common/errors.js';
import type { Database } from '../../../platform/db/database.js';
import { fromJsonColumn, toJsonColumn } from '../../../platform/db/json-column.js';
import { isUniqueViolation } from '../../../platform/db/db-errors.js';
import { now } from '../../../platform/db/timestamps.js';
import { withTransaction } from '../../../platform/db/with-transaction.js';
import type { ApiDatabase } from '../../api-db-tables.js';

/** The scheduling policies a server group may have. */
export type ServerGroupPolicy =
  'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

/** A server group with its policy, rules and member servers. */
export interface ServerGroup {
  id: number;
  uuid: string;
  name: string | null;
  projectId: string;
  userId: string;
  policy: ServerGroupPolicy;
  /** e.g. `{max_server_per_host: 2}` (2.64, anti-affinity only). */
  rules: Record<string, number>;
  /** Member server uuids, in the order they joined. */
  members: string[];
  createdAt: string;
}

/** Upstream's InstanceGroupNotFound. */
export function serverGroupNotFound(uuid: string): NotFoundError {
  return new NotFoundError(`Instance group ${uuid} could not be found.`, {
    code: 'compute.server_group_not_found',
  });
}

/** Server groups (Nova's instance groups) in the compute API database. */
export class ServerGroupStore {
  private readonly db: Kysely<ApiDatabase>;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.db = database.kysely as Kysely<ApiDatabase>;
  }

  /** Creates a group with its policy. */
  async create(
    g: Pick<ServerGroup, 'uuid' | 'name' | 'projectId' | 'userId' | 'policy' | 'rules'>,
  ): Promise<ServerGroup> {
    const ts = now(this.clock);
    await withTransaction(this.database as Database<ApiDatabase>, async (trx) => {
      const row = await trx
        .insertInto('instance_groups')
        .values({
          uuid: g.uuid,
          name: g.name,
          user_id: g.userId,
          project_id: g.projectId,
          created_at: ts,
          updated_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('instance_group_policy')
        .values({
          group_id: row.id,
          policy: g.policy,
          rules: toJsonColumn(g.rules),
          created_at: ts,
          updated_at: null,
        })
        .execute();
    });
    return this.get(g.uuid);
  }

  /** A group by uuid; 404 otherwise. */
  async get(uuid: string): Promise<ServerGroup> {
    const [found] = await this.load((q) => q.where('uuid', '=', uuid));
    if (!found) throw serverGroupNotFound(uuid);
    return found;
  }

  /** The groups of a project, or every group; by creation order. */
  async list(projectId?: string): Promise<ServerGroup[]> {
    return this.load((q) => (projectId === undefined ? q : q.where('project_id', '=', projectId)));
  }

  /** Deletes a group with its policy and memberships; 404 when it does not exist. */
  async delete(uuid: string): Promise<void> {
    await withTransaction(this.database as Database<ApiDatabase>, async (trx) => {
      const row = await trx
        .selectFrom('instance_groups')
        .select('id')
        .where('uuid', '=', uuid)
        .executeTakeFirst();
      if (!row) throw serverGroupNotFound(uuid);
      await trx.deleteFrom('instance_group_member').where('group_id', '=', row.id).execute();
      await trx.deleteFrom('instance_group_policy').where('group_id', '=', row.id).execute();
      await trx.deleteFrom('instance_groups').where('id', '=', row.id).execute();
    });
  }

  /** Adds servers to a group (servers join at boot); members already in it are kept once. */
  async addMembers(uuid: string, instanceUuids: readonly string[]): Promise<void> {
    const group = await this.get(uuid);
    const ts = now(this.clock);
    for (const instance_uuid of instanceUuids) {
      try {
        await this.db
          .insertInto('instance_group_member')
          .values({ group_id: group.id, instance_uuid, created_at: ts, updated_at: null })
          .execute();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
  }

  private async load(
    filter: (q: ReturnType<typeof this.baseQuery>) => ReturnType<typeof this.baseQuery>,
  ): Promise<ServerGroup[]> {
    const rows = await filter(this.baseQuery()).orderBy('id').execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const policies = await this.db
      .selectFrom('instance_group_policy')
      .selectAll()
      .where('group_id', 'in', ids)
      .execute();
    const members = await this.db
      .selectFrom('instance_group_member')
      .select(['group_id', 'instance_uuid'])
      .where('group_id', 'in', ids)
      .orderBy('id')
      .execute();
    return rows.map((r) => {
      const p = policies.find((x) => x.group_id === r.id);
      return {
        id: r.id,
        uuid: r.uuid,
        name: r.name,
        projectId: r.project_id,
        userId: r.user_id,
        policy: (p?.policy ?? 'anti-affinity') as ServerGroupPolicy,
        rules:
          fromJsonColumn<Record<string, number>>(p?.rules ?? null, 'instance_group_policy.rules') ??
          {},
        members: members.filter((m) => m.group_id === r.id).map((m) => m.instance_uuid),
        createdAt: r.created_at,
      };
    });
  }

  private baseQuery() {
    return this.db.selectFrom('instance_groups').selectAll();
  }
}
