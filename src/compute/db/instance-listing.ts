import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { BadRequestError } from '../../common/errors.js';
import type { Database } from '../../platform/db/database.js';
import { queryTemplates, type SlotOf } from '../../platform/db/query-templates.js';
import { versionedReads } from '../../platform/db/versioned-reads.js';
import type { CellDatabase } from './cell-tables.js';
import type { InstanceRow } from './instance-store.js';

/**
 * One page of instances, filtered, sorted and paged in SQL (upstream's instance_get_all_by_filters_sort
 * with paginate_query): the database returns only the rows of the page, so a listing costs the
 * same with ten servers or ten thousand. Filters SQL cannot express the way upstream means them
 * (Python regular expressions, tag sets) run on the rows as they stream in, in sorted batches.
 */

/** Columns a listing may be sorted by. */
export type SortColumn = keyof InstanceRow;
export type SortDirection = 'asc' | 'desc';

/** A vm_state with the task states it covers (null: any task state). */
export interface StateFilter {
  vmState: string;
  taskStates: readonly string[] | null;
}

export interface InstanceListing {
  /** Only this project's instances; undefined lists every project's. */
  projectId?: string | undefined;
  /** false: live rows only; true: soft-deleted rows only; 'any': both. */
  deleted: boolean | 'any';
  /** updated_at bounds (database timestamps), inclusive. */
  updatedSince?: string | undefined;
  updatedBefore?: string | undefined;
  /** Columns that must equal a value. */
  equals?: Partial<Record<SortColumn, string>>;
  /** Rows must match one of these (server status filters); an empty list matches nothing. */
  states?: readonly StateFilter[] | undefined;
  /** Only locked (true) or unlocked (false) instances. */
  locked?: boolean | undefined;
  /** Sort keys in order; `id` is appended as the last key so the order is total. */
  sort: readonly (readonly [SortColumn, SortDirection])[];
  /** The uuid of the last row of the previous page. */
  marker?: string | undefined;
  limit: number;
  /** Filters applied to each row after SQL, in order, before the limit counts it. */
  keep?: ((rows: InstanceRow[]) => Promise<InstanceRow[]> | InstanceRow[]) | undefined;
}

type Eb = ExpressionBuilder<CellDatabase, 'instances'>;

// NULLs sort first ascending and last descending, as upstream's MySQL does; PostgreSQL does the
// opposite by default, so the order is spelled out on every key.
function nullsFirst(dir: SortDirection): boolean {
  return dir === 'asc';
}

/** Rows strictly after `marker` in the sort order (a keyset condition; NULLs as in nullsFirst). */
function afterMarker(
  eb: Eb,
  keys: readonly (readonly [SortColumn, SortDirection])[],
  marker: InstanceRow,
  slot: SlotOf,
): Expression<SqlBool> {
  const ors: Expression<SqlBool>[] = [];
  for (let i = 0; i < keys.length; i++) {
    const ands: Expression<SqlBool>[] = [];
    for (const [col] of keys.slice(0, i)) {
      ands.push(marker[col] === null ? eb(col, 'is', null) : eb(col, '=', slot(`marker.${col}`)));
    }
    const [col, dir] = keys[i]!;
    const later = dir === 'asc' ? '>' : '<';
    if (marker[col] === null) {
      // NULL is first ascending: every non-NULL follows; last descending: nothing follows.
      if (!nullsFirst(dir)) continue;
      ands.push(eb(col, 'is not', null));
    } else if (nullsFirst(dir)) {
      ands.push(eb(col, later, slot(`marker.${col}`)));
    } else {
      ands.push(eb.or([eb(col, later, slot(`marker.${col}`)), eb(col, 'is', null)]));
    }
    ors.push(eb.and(ands));
  }
  return ors.length ? eb.or(ors) : eb.lit(false);
}

function conditions(eb: Eb, l: InstanceListing, slot: SlotOf): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (l.projectId !== undefined) out.push(eb('project_id', '=', slot('projectId')));
  if (l.deleted === false) out.push(eb('deleted', '=', 0));
  else if (l.deleted === true) out.push(eb('deleted', '!=', 0));
  if (l.updatedSince) out.push(eb('updated_at', '>=', slot('updatedSince')));
  if (l.updatedBefore) out.push(eb('updated_at', '<=', slot('updatedBefore')));
  for (const col of Object.keys(l.equals ?? {}) as SortColumn[]) {
    out.push(eb(col, '=', slot(`equals.${col}`)));
  }
  if (l.states) {
    out.push(
      eb.or(
        l.states.map((s) =>
          s.taskStates === null
            ? eb('vm_state', '=', s.vmState)
            : eb.and([eb('vm_state', '=', s.vmState), eb('task_state', 'in', [...s.taskStates])]),
        ),
      ),
    );
  }
  if (l.locked !== undefined) out.push(eb('locked_by', l.locked ? 'is not' : 'is', null));
  return out;
}

/**
 * What makes the SQL of a batch differ (see QueryTemplates): which conditions there are, not
 * their values. Status filters are few and fixed, so their states are part of the shape.
 */
function shapeOf(
  l: InstanceListing,
  keys: readonly (readonly [SortColumn, SortDirection])[],
  after: InstanceRow | undefined,
  selected: readonly SortColumn[] | undefined,
): string {
  return JSON.stringify([
    'instances',
    l.projectId !== undefined,
    l.deleted,
    !!l.updatedSince,
    !!l.updatedBefore,
    Object.keys(l.equals ?? {}),
    l.states ?? null,
    l.locked ?? null,
    keys,
    after ? keys.map(([col]) => after[col] === null) : null,
    selected ?? null,
  ]);
}

/** The values the placeholders of a batch's template take. */
function valuesOf(
  l: InstanceListing,
  keys: readonly (readonly [SortColumn, SortDirection])[],
  after: InstanceRow | undefined,
  batch: number,
): Record<string, unknown> {
  const values: Record<string, unknown> = {
    projectId: l.projectId,
    updatedSince: l.updatedSince,
    updatedBefore: l.updatedBefore,
    limit: batch,
  };
  for (const [col, val] of Object.entries(l.equals ?? {})) values[`equals.${col}`] = val;
  if (after) for (const [col] of keys) values[`marker.${col}`] = after[col];
  return values;
}

/**
 * The page `listing` asks for. A marker that names no instance is a 400, as upstream's
 * MarkerNotFound.
 */
export async function listInstances(
  database: Database,
  listing: InstanceListing,
): Promise<InstanceRow[]>;
/**
 * The same page with only `columns` of each row: rows with dozens of columns cost more to build
 * than the query takes, and a listing often needs a few. Filters after SQL see every column.
 */
export async function listInstances<C extends SortColumn>(
  database: Database,
  listing: InstanceListing,
  columns: readonly C[],
): Promise<Pick<InstanceRow, C>[]>;
export async function listInstances(
  database: Database,
  listing: InstanceListing,
  columns?: readonly SortColumn[],
): Promise<Partial<InstanceRow>[]> {
  // A page is polled over and over; while nothing was written it is the same page. Filters
  // after SQL are functions, which no key can name, so those listings always run.
  if (listing.keep) return readPage(database, listing, columns);
  const page = await versionedReads(database).read(
    JSON.stringify(['instances', listing, columns ?? null]),
    () => readPage(database, listing, columns),
  );
  return [...page];
}

async function readPage(
  database: Database,
  listing: InstanceListing,
  columns?: readonly SortColumn[],
): Promise<Partial<InstanceRow>[]> {
  const db = database.kysely as Kysely<CellDatabase>;
  const keys = [...listing.sort, ['id', listing.sort[0]?.[1] ?? 'desc'] as const];
  let after: InstanceRow | undefined;
  if (listing.marker !== undefined) {
    // Upstream looks the marker up elevated, deleted or not, in any project.
    after = await db
      .selectFrom('instances')
      .selectAll()
      .where('uuid', '=', listing.marker)
      .executeTakeFirst();
    if (!after) throw new BadRequestError(`marker [${listing.marker}] not found`);
  }
  if (listing.limit <= 0) return [];
  // Without filters after SQL one query returns the page; with them, sorted batches are read
  // until the page is full, each batch larger than the page so sparse matches stay cheap.
  const batch = listing.keep ? Math.max(listing.limit * 2, 200) : listing.limit;
  // Without filters after SQL there is one batch, so no row needs its sort keys for a next one.
  const selected = columns && !listing.keep ? [...new Set(columns)] : undefined;
  const out: InstanceRow[] = [];
  const templates = queryTemplates(db);
  for (;;) {
    const marker = after;
    const rows = (await templates.execute(
      shapeOf(listing, keys, marker, selected),
      (slot) => {
        let q = (
          selected
            ? db.selectFrom('instances').select(selected)
            : db.selectFrom('instances').selectAll()
        ).where((eb) => {
          const all = conditions(eb, listing, slot);
          if (marker) all.push(afterMarker(eb, keys, marker, slot));
          return eb.and(all);
        });
        for (const [col, dir] of keys) {
          q = q.orderBy(col, (ob) =>
            nullsFirst(dir) ? ob[dir]().nullsFirst() : ob[dir]().nullsLast(),
          );
        }
        return q.limit(slot('limit'));
      },
      valuesOf(listing, keys, marker, batch),
    )) as InstanceRow[];
    const kept = listing.keep ? await listing.keep(rows) : rows;
    for (const row of kept) {
      out.push(row);
      if (out.length === listing.limit) return out;
    }
    if (rows.length < batch) return out;
    after = rows[rows.length - 1];
  }
}
