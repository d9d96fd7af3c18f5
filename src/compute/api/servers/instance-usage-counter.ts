import { sql } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
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

  /**
   * Usage counting only rows with an id up to `maxId`: the instances created before (or with)
   * a given request, which is how the recheck decides who won a race.
   */
  async countWhere(projectId: string, userId?: string, maxId?: number): Promise<InstanceCounts> {
    let q = cellDb(this.cell)
      .selectFrom('instances')
      .select([
        sql<number>`count(*)`.as('n'),
        sql<number>`coalesce(sum(vcpus), 0)`.as('cores'),
        sql<number>`coalesce(sum(memory_mb), 0)`.as('ram'),
      ])
      .where('project_id', '=', projectId)
      .where('deleted', '=', 0)
      .where('vm_state', '!=', VmState.SOFT_DELETED);
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    if (maxId !== undefined) q = q.where('id', '<=', maxId);
    const r = await q.executeTakeFirstOrThrow();
    return { instances: Number(r.n), cores: Number(r.cores), ram: Number(r.ram) };
  }
}
