import type { Kysely } from 'kysely';
import { NotFoundError } from '../../../common/errors.js';
import type { RequestContext } from '../../../platform/auth/request-context.js';
import { isAdmin } from '../../../platform/auth/request-context.js';
import type { Database } from '../../../platform/db/database.js';
import { listSlots, listValues, queryTemplates } from '../../../platform/db/query-templates.js';
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
  const k = cellDb(db);
  const selected = columns ? [...new Set([...columns, 'uuid', 'project_id'] as const)] : undefined;
  // Every server request starts here, and clients poll servers: the query is built once.
  const [row] = await queryTemplates(k).execute(
    `instances.visible:${selected?.join(',') ?? '*'}`,
    (slot) =>
      (selected
        ? k.selectFrom('instances').select(selected)
        : k.selectFrom('instances').selectAll()
      )
        .where('uuid', '=', slot('uuid'))
        .where('deleted', '=', 0),
    { uuid: id },
  );
  if (!row || (!isAdmin(ctx) && row.project_id !== ctx.projectId)) throw serverNotFound(id);
  return row;
}

/** The rows of these instances (by row id), deleted or not, in no particular order. */
export async function instancesById(db: Database, ids: number[]): Promise<InstanceRow[]> {
  const k = cellDb(db);
  const out: InstanceRow[] = [];
  // Chunks keep each IN list well under SQLite's parameter limit.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(
      ...(await queryTemplates(k).execute(
        `instances.byId:${chunk.length}`,
        (slot) =>
          k
            .selectFrom('instances')
            .selectAll()
            .where('id', 'in', listSlots(slot, 'in', chunk.length)),
        listValues('in', chunk),
      )),
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
    const values = listValues('in', chunk);
    const t = queryTemplates(k);
    const metaRows = await t.execute(
      `instance_metadata.of:${chunk.length}`,
      (slot) =>
        k
          .selectFrom('instance_metadata')
          .selectAll()
          .where('instance_uuid', 'in', listSlots(slot, 'in', chunk.length)),
      values,
    );
    for (const m of metaRows) {
      (meta.get(m.instance_uuid) ?? meta.set(m.instance_uuid, {}).get(m.instance_uuid)!)[m.key] =
        m.value;
    }
    const tagRows = await t.execute(
      `tags.of:${chunk.length}`,
      (slot) =>
        k
          .selectFrom('tags')
          .selectAll()
          .where('resource_id', 'in', listSlots(slot, 'in', chunk.length))
          .orderBy('tag'),
      values,
    );
    for (const tg of tagRows) {
      (tags.get(tg.resource_id) ?? tags.set(tg.resource_id, []).get(tg.resource_id)!).push(tg.tag);
    }
    const fs = await t.execute(
      `instance_faults.of:${chunk.length}`,
      (slot) =>
        k
          .selectFrom('instance_faults')
          .selectAll()
          .where('instance_uuid', 'in', listSlots(slot, 'in', chunk.length))
          .orderBy('id', 'asc'),
      values,
    );
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
