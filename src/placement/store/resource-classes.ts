import type { Clock } from '../../common/clock.js';
import { now } from '../../platform/db/timestamps.js';
import type { PlacementExecutor, PlacementTrx } from '../db/tables.js';
import { MIN_CUSTOM_RESOURCE_CLASS_ID, STANDARD_RESOURCE_CLASSES } from '../standard-catalog.js';

/** A resource class row. */
export interface ResourceClassRecord {
  id: number;
  name: string;
  createdAt: string;
  updatedAt: string | null;
}

function toRecord(r: {
  id: number;
  name: string;
  created_at: string;
  updated_at: string | null;
}): ResourceClassRecord {
  return { id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at };
}

/**
 * Inserts the standard resource classes that are missing, with their upstream ids (the index
 * in os-resource-classes). Safe to run from several processes at once.
 */
export async function syncStandardResourceClasses(
  db: PlacementExecutor,
  clock: Clock,
): Promise<void> {
  const existing = new Set(
    (await db.selectFrom('placement_resource_classes').select('name').execute()).map((r) => r.name),
  );
  const ts = now(clock);
  const missing = STANDARD_RESOURCE_CLASSES.map((name, id) => ({ id, name })).filter(
    (rc) => !existing.has(rc.name),
  );
  if (missing.length === 0) return;
  await db
    .insertInto('placement_resource_classes')
    .values(missing.map((rc) => ({ ...rc, created_at: ts, updated_at: null })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Every resource class, standard ones first, in id order. */
export async function listResourceClasses(db: PlacementExecutor): Promise<ResourceClassRecord[]> {
  const rows = await db
    .selectFrom('placement_resource_classes')
    .selectAll()
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/** The resource class called `name`, if any. */
export async function getResourceClass(
  db: PlacementExecutor,
  name: string,
): Promise<ResourceClassRecord | undefined> {
  const row = await db
    .selectFrom('placement_resource_classes')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** Ids of the named resource classes; names that do not exist are absent from the map. */
export async function resourceClassIds(
  db: PlacementExecutor,
  names: Iterable<string>,
): Promise<Map<string, number>> {
  const list = [...new Set(names)];
  if (list.length === 0) return new Map();
  const rows = await db
    .selectFrom('placement_resource_classes')
    .select(['id', 'name'])
    .where('name', 'in', list)
    .execute();
  return new Map(rows.map((r) => [r.name, r.id]));
}

/** Names of resource classes by id. */
export async function resourceClassNames(db: PlacementExecutor): Promise<Map<number, string>> {
  const rows = await db.selectFrom('placement_resource_classes').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Inserts a custom resource class with the next id at or above 10000 (upstream's numbering).
 * Two creators racing for the same id collide on the primary key: the caller retries in a new
 * transaction (a failed statement spoils a PostgreSQL transaction).
 */
export async function insertCustomResourceClass(
  trx: PlacementTrx,
  name: string,
  clock: Clock,
): Promise<ResourceClassRecord> {
  const max = await trx
    .selectFrom('placement_resource_classes')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  const maxId = max?.max === null || max?.max === undefined ? -1 : Number(max.max);
  const id = Math.max(maxId + 1, MIN_CUSTOM_RESOURCE_CLASS_ID);
  const row = { id, name, created_at: now(clock), updated_at: null };
  await trx.insertInto('placement_resource_classes').values(row).execute();
  return toRecord(row);
}

/** Renames a custom resource class (a unique violation means the new name is taken). */
export async function renameResourceClass(
  trx: PlacementTrx,
  id: number,
  newName: string,
  clock: Clock,
): Promise<void> {
  await trx
    .updateTable('placement_resource_classes')
    .set({ name: newName, updated_at: now(clock) })
    .where('id', '=', id)
    .execute();
}

/** Deletes a resource class unless an inventory uses it; returns what happened. */
export async function deleteResourceClass(
  db: PlacementExecutor,
  id: number,
): Promise<'deleted' | 'in_use' | 'not_found'> {
  const used = await db
    .selectFrom('placement_inventories')
    .select('id')
    .where('resource_class_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (used) return 'in_use';
  const res = await db.deleteFrom('placement_resource_classes').where('id', '=', id).execute();
  return Number(res[0]?.numDeletedRows ?? 0) > 0 ? 'deleted' : 'not_found';
}
