import type { Kysely } from 'kysely';
import { NotFoundError } from '../../../common/errors.js';
import type { RequestContext } from '../../../platform/auth/request-context.js';
import { isAdmin } from '../../../platform/auth/request-context.js';
import type { Database } from '../../../platform/db/database.js';
import type { CellDatabase } from '../../db/cell-tables.js';
import type { InstanceRow } from '../../db/instance-store.js';
import type { ServerRecord } from './server-record.js';

/** The cell database's query builder. */
export function cellDb(db: Database): Kysely<CellDatabase> {
  return db.kysely as Kysely<CellDatabase>;
}

/** Nova's 404 for a server the caller cannot see. */
export function serverNotFound(id: string): NotFoundError {
  return new NotFoundError(`Instance ${id} could not be found.`, {
    code: 'compute.instance_not_found',
  });
}

/**
 * The live instance `id` as the caller may see it: another project's server is a 404 for
 * non-admins, as upstream's project-only queries make it. With `columns`, only those (and
 * uuid, project_id) are read.
 */
export async function visibleInstance(
  db: Database,
  ctx: RequestContext,
  id: string,
): Promise<InstanceRow>;
export async function visibleInstance<C extends keyof InstanceRow>(
  db: Database,
  ctx: RequestContext,
  id: string,
  columns: readonly C[],
): Promise<Pick<InstanceRow, C | 'uuid' | 'project_id'>>;
export async function visibleInstance(
  db: Database,
  ctx: RequestContext,
  id: string,
  columns?: readonly (keyof InstanceRow)[],
): Promise<Partial<InstanceRow>> {
  const from = cellDb(db).selectFrom('instances');
  const row = await (
    columns
      ? from.select([...new Set([...columns, 'uuid', 'project_id'] as const)])
      : from.selectAll()
  )
    .where('uuid', '=', id)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (!row || (!isAdmin(ctx) && row.project_id !== ctx.projectId)) throw serverNotFound(id);
  return row;
}

/** The rows of these instances (by row id), deleted or not, in no particular order. */
export async function instancesById(db: Database, ids: number[]): Promise<InstanceRow[]> {
  const out: InstanceRow[] = [];
  // Chunks keep each IN list well under SQLite's parameter limit.
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await cellDb(db)
        .selectFrom('instances')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}

/** The metadata, tags and latest fault of each row, for rendering. */
export async function loadRecords(db: Database, rows: InstanceRow[]): Promise<ServerRecord[]> {
  if (rows.length === 0) return [];
  const k = cellDb(db);
  const uuids = rows.map((r) => r.uuid);
  const meta = new Map<string, Record<string, string>>();
  const tags = new Map<string, string[]>();
  const faults = new Map<string, ServerRecord['fault']>();
  // Chunks keep each IN list well under SQLite's parameter limit.
  for (let i = 0; i < uuids.length; i += 500) {
    const chunk = uuids.slice(i, i + 500);
    for (const m of await k
      .selectFrom('instance_metadata')
      .selectAll()
      .where('instance_uuid', 'in', chunk)
      .execute()) {
      (meta.get(m.instance_uuid) ?? meta.set(m.instance_uuid, {}).get(m.instance_uuid)!)[m.key] =
        m.value;
    }
    for (const t of await k
      .selectFrom('tags')
      .selectAll()
      .where('resource_id', 'in', chunk)
      .orderBy('tag')
      .execute()) {
      (tags.get(t.resource_id) ?? tags.set(t.resource_id, []).get(t.resource_id)!).push(t.tag);
    }
    const fs = await k
      .selectFrom('instance_faults')
      .selectAll()
      .where('instance_uuid', 'in', chunk)
      .orderBy('id', 'asc')
      .execute();
    for (const f of fs) {
      faults.set(f.instance_uuid, {
        code: f.code,
        message: f.message,
        details: f.details,
        created_at: f.created_at,
      });
    }
  }
  return rows.map((row) => ({
    row,
    metadata: meta.get(row.uuid) ?? {},
    tags: tags.get(row.uuid) ?? [],
    fault: faults.get(row.uuid) ?? null,
  }));
}
