import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { ImageRecord, Visibility } from '../domain/image.js';
import type { ImageDb } from './image-tables.js';

/** Columns a list may be sorted by (Glance's _available_sort_keys). */
export const SORT_KEYS = [
  'name',
  'status',
  'container_format',
  'disk_format',
  'size',
  'id',
  'created_at',
  'updated_at',
] as const;

/** A sortable column. */
export type SortKey = (typeof SORT_KEYS)[number];

/** A comparison a column filter applies. */
export type FilterOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in';

/** A filter on an `images` column. */
export interface ColumnFilter {
  column: string;
  op: FilterOp;
  value: string | number | boolean | readonly string[];
}

/** Everything a list request asks for, already validated by the API layer. */
export interface ImageListQuery {
  /** The caller's project (null for an unscoped caller) and whether it is an admin. */
  viewer: { projectId: string | null; isAdmin: boolean };
  /** Which shared images of the caller to include, by their membership status. */
  memberStatus: 'pending' | 'accepted' | 'rejected' | 'all';
  visibility?: Visibility | 'all';
  osHidden: boolean;
  columns: ColumnFilter[];
  properties: { name: string; value: string }[];
  tags: string[];
  /** Sort order; the caller appends created_at and id so that the order is total. */
  sort: { key: SortKey; dir: 'asc' | 'desc' }[];
  /** The last image of the previous page. */
  marker?: ImageRecord;
  limit: number;
}

/** Columns that may be NULL sort as if they held this value (Glance pages the same way). */
const NULL_SORTS_AS: Partial<Record<SortKey, string | number>> = {
  name: '',
  container_format: '',
  disk_format: '',
  size: 0,
};

function markerValue(marker: ImageRecord, key: SortKey): string | number {
  const v = {
    name: marker.name,
    status: marker.status,
    container_format: marker.containerFormat,
    disk_format: marker.diskFormat,
    size: marker.size,
    id: marker.id,
    created_at: marker.createdAt,
    updated_at: marker.updatedAt,
  }[key];
  return v ?? NULL_SORTS_AS[key] ?? '';
}

function sortExpr(key: SortKey): Expression<unknown> {
  const fallback = NULL_SORTS_AS[key];
  return fallback === undefined
    ? sql.ref(`images.${key}`)
    : sql`coalesce(${sql.ref(`images.${key}`)}, ${fallback})`;
}

type Eb = ExpressionBuilder<ImageDb, 'images'>;

/** Which images the viewer may see at all (Glance's _select_images_query). */
function visibleTo(eb: Eb, q: ImageListQuery): Expression<SqlBool> {
  const { projectId } = q.viewer;
  const ors: Expression<SqlBool>[] = [eb('images.visibility', 'in', ['public', 'community'])];
  if (projectId !== null) {
    ors.push(eb('images.owner', '=', projectId));
    let member = eb
      .selectFrom('image_members')
      .select('image_members.image_id')
      .whereRef('image_members.image_id', '=', 'images.id')
      .where('image_members.member', '=', projectId);
    if (q.memberStatus !== 'all')
      member = member.where('image_members.status', '=', q.memberStatus);
    ors.push(eb.and([eb('images.visibility', '=', 'shared'), eb.exists(member)]));
  }
  return eb.or(ors);
}

function columnCondition(eb: Eb, f: ColumnFilter): Expression<SqlBool> {
  const col = sql.ref(`images.${f.column}`);
  const v = typeof f.value === 'boolean' ? (f.value ? 1 : 0) : f.value;
  const ops = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
  if (f.op === 'in') {
    const values = v as readonly string[];
    return values.length === 0 ? sql<SqlBool>`1 = 0` : eb(col, 'in', [...values]);
  }
  return eb(col, ops[f.op], v as string | number);
}

/** The ids of one page of images matching the query, in order. */
export async function listImageIds(database: Database, q: ImageListQuery): Promise<string[]> {
  const db = database.kysely as Kysely<ImageDb>;
  let query = db
    .selectFrom('images')
    .select('images.id')
    .where('images.deleted', '=', 0)
    .where('images.status', '<>', 'killed')
    .where('images.os_hidden', '=', q.osHidden ? 1 : 0);

  if (!q.viewer.isAdmin) query = query.where((eb) => visibleTo(eb, q));
  const { projectId } = q.viewer;
  if (q.visibility !== undefined) {
    if (q.visibility !== 'all') query = query.where('images.visibility', '=', q.visibility);
  } else if (projectId === null) {
    query = query.where('images.visibility', '<>', 'community');
  } else {
    // Community images appear only when asked for, unless they are the caller's own.
    query = query.where((eb) =>
      eb.or([eb('images.owner', '=', projectId), eb('images.visibility', '<>', 'community')]),
    );
  }

  for (const f of q.columns) query = query.where((eb) => columnCondition(eb, f));
  for (const p of q.properties) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('image_properties')
          .select('image_properties.image_id')
          .whereRef('image_properties.image_id', '=', 'images.id')
          .where('image_properties.name', '=', p.name)
          .where('image_properties.value', '=', p.value),
      ),
    );
  }
  for (const tag of q.tags) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('image_tags')
          .select('image_tags.image_id')
          .whereRef('image_tags.image_id', '=', 'images.id')
          .where('image_tags.value', '=', tag),
      ),
    );
  }

  const marker = q.marker;
  if (marker) {
    // Keyset pagination over the sort keys, as Glance's _paginate_query:
    // (k1 > m1) or (k1 = m1 and k2 > m2) or ...
    query = query.where((eb) =>
      eb.or(
        q.sort.map((s, i) =>
          eb.and([
            ...q.sort.slice(0, i).map((p) => eb(sortExpr(p.key), '=', markerValue(marker, p.key))),
            eb(sortExpr(s.key), s.dir === 'desc' ? '<' : '>', markerValue(marker, s.key)),
          ]),
        ),
      ),
    );
  }
  for (const s of q.sort) query = query.orderBy(sortExpr(s.key), s.dir);
  const rows = await query.limit(q.limit).execute();
  return rows.map((r) => r.id);
}
