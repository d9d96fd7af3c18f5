import type { Kysely, Selectable } from 'kysely';
import { BadRequestError } from '../../../common/errors.js';
import type { Database } from '../../../platform/db/database.js';
import { toDbTimestamp } from '../../../platform/db/timestamps.js';
import type { CellDatabase, InstancesTable } from '../../db/cell-tables.js';

/** A server row as usage reads it. */
export type UsageInstance = Pick<
  Selectable<InstancesTable>,
  | 'uuid'
  | 'display_name'
  | 'project_id'
  | 'vm_state'
  | 'launched_at'
  | 'terminated_at'
  | 'flavor'
  | 'memory_mb'
  | 'vcpus'
  | 'root_gb'
  | 'ephemeral_gb'
>;

/**
 * Servers that were running at some point of a window, deleted ones included (upstream's
 * instance_get_active_by_window_joined): launched before its end and not terminated before its
 * start; ordered by project then uuid, paged after a marker server.
 */
export async function activeInWindow(
  database: Database,
  begin: Date,
  end: Date,
  opts: { projectId?: string | undefined; limit?: number; marker?: string | undefined },
): Promise<UsageInstance[]> {
  const db = database.kysely as Kysely<CellDatabase>;
  const from = toDbTimestamp(begin);
  const to = toDbTimestamp(end);
  let q = db
    .selectFrom('instances')
    .select([
      'uuid',
      'display_name',
      'project_id',
      'vm_state',
      'launched_at',
      'terminated_at',
      'flavor',
      'memory_mb',
      'vcpus',
      'root_gb',
      'ephemeral_gb',
    ])
    .where((eb) => eb.or([eb('terminated_at', 'is', null), eb('terminated_at', '>', from)]))
    .where('launched_at', '<', to)
    .orderBy('project_id')
    .orderBy('uuid');
  if (opts.projectId !== undefined) q = q.where('project_id', '=', opts.projectId);
  if (opts.marker !== undefined) {
    const m = await db
      .selectFrom('instances')
      .select(['project_id', 'uuid'])
      .where('uuid', '=', opts.marker)
      .executeTakeFirst();
    if (!m) throw new BadRequestError(`Marker ${opts.marker} could not be found.`);
    q = q.where((eb) =>
      eb.or([
        eb('project_id', '>', m.project_id),
        eb.and([eb('project_id', '=', m.project_id), eb('uuid', '>', m.uuid)]),
      ]),
    );
  }
  if (opts.limit !== undefined) q = q.limit(opts.limit);
  return q.execute();
}
