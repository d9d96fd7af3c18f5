import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import { queryTemplates } from '../../../platform/db/query-templates.js';
import type { CellDatabase } from '../../db/cell-tables.js';
import { VmState } from '../../vm-states.js';
import { cellDb } from './server-reads.js';

/** Instances, cores and RAM in use. */
export interface InstanceCounts {
  instances: number;
  cores: number;
  ram: number;
}

/**
 * Counts servers from the instances table itself (no usage cache), as Nova's quota engine
 * counts instances, cores and ram: every live instance that is not soft-deleted. Plugs into the
 * quota engine's InstanceUsageCounter hook.
 */
export class CellInstanceUsageCounter {
  constructor(private readonly cell: Database) {}

  /** Usage of a project, and of one of its users when given. */
  async count(
    projectId: string,
    userId?: string,
  ): Promise<{ project: InstanceCounts; user?: InstanceCounts }> {
    const project = await this.countWhere(projectId);
    if (userId === undefined) return { project };
    return { project, user: await this.countWhere(projectId, userId) };
  }

  /** Usage of a project, or of one user in it. */
  async countWhere(projectId: string, userId?: string): Promise<InstanceCounts> {
    return countInstances(cellDb(this.cell), projectId, userId);
  }
}

/**
 * Live instances, cores and RAM of a project (or of one user in it), read through `db`: the
 * cell database or a transaction on it (the quota recheck counts inside its insert).
 */
export async function countInstances(
  db: Kysely<CellDatabase>,
  projectId: string,
  userId?: string,
): Promise<InstanceCounts> {
  // Every create counts twice (check and recheck): the query is built once per shape.
  const [r] = await queryTemplates(db).execute(
    userId === undefined ? 'instances.usage' : 'instances.usage.user',
    (slot) => {
      const q = db
        .selectFrom('instances')
        .select([
          sql<number>`count(*)`.as('n'),
          sql<number>`coalesce(sum(vcpus), 0)`.as('cores'),
          sql<number>`coalesce(sum(memory_mb), 0)`.as('ram'),
        ])
        .where('project_id', '=', slot('projectId'))
        .where('deleted', '=', 0)
        .where('vm_state', '!=', VmState.SOFT_DELETED);
      return userId === undefined ? q : q.where('user_id', '=', slot('userId'));
    },
    { projectId, userId },
  );
  if (!r) throw new Error('instance usage: the count returned no row');
  return { instances: Number(r.n), cores: Number(r.cores), ram: Number(r.ram) };
}
