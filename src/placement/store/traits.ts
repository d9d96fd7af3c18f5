import type { Clock } from '../../common/clock.js';
import { now } from '../../platform/db/timestamps.js';
import type { PlacementExecutor, PlacementTrx } from '../db/tables.js';
import { STANDARD_TRAITS } from '../standard-catalog.js';

/** A trait row. */
export interface TraitRecord {
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
}): TraitRecord {
  return { id: r.id, name: r.name, createdAt: r.created_at, updatedAt: r.updated_at };
}

/** Inserts the standard traits that are missing; safe from several processes at once. */
export async function syncStandardTraits(db: PlacementExecutor, clock: Clock): Promise<void> {
  const existing = new Set(
    (await db.selectFrom('placement_traits').select('name').execute()).map((r) => r.name),
  );
  const missing = STANDARD_TRAITS.filter((t) => !existing.has(t));
  const ts = now(clock);
  for (let i = 0; i < missing.length; i += 200) {
    await db
      .insertInto('placement_traits')
      .values(missing.slice(i, i + 200).map((name) => ({ name, created_at: ts, updated_at: null })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** Filters of GET /traits. */
export interface TraitFilter {
  nameIn?: string[];
  prefix?: string;
  associated?: boolean;
}

/** Traits matching the filter, by name. */
export async function listTraits(
  db: PlacementExecutor,
  filter: TraitFilter = {},
): Promise<TraitRecord[]> {
  let q = db.selectFrom('placement_traits as t').selectAll('t');
  if (filter.nameIn) {
    if (filter.nameIn.length === 0) return [];
    q = q.where('t.name', 'in', filter.nameIn);
  }
  if (filter.prefix !== undefined) {
    // Compared in code rather than with LIKE, whose wildcards (_ in every trait name) and case
    // rules differ between the dialects.
    const prefix = filter.prefix;
    q = q.where((eb) =>
      eb(eb.fn('substr', ['t.name', eb.val(1), eb.val(prefix.length)]), '=', prefix),
    );
  }
  if (filter.associated !== undefined) {
    const sub = db.selectFrom('placement_provider_traits').select('trait_id');
    q = filter.associated ? q.where('t.id', 'in', sub) : q.where('t.id', 'not in', sub);
  }
  return (await q.orderBy('t.name').execute()).map(toRecord);
}

/** The trait called `name`, if any. */
export async function getTrait(
  db: PlacementExecutor,
  name: string,
): Promise<TraitRecord | undefined> {
  const row = await db
    .selectFrom('placement_traits')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** Ids of the named traits; missing names are absent from the map. */
export async function traitIds(
  db: PlacementExecutor,
  names: Iterable<string>,
): Promise<Map<string, number>> {
  const list = [...new Set(names)];
  if (list.length === 0) return new Map();
  const rows = await db
    .selectFrom('placement_traits')
    .select(['id', 'name'])
    .where('name', 'in', list)
    .execute();
  return new Map(rows.map((r) => [r.name, r.id]));
}

/** Creates a custom trait (a unique violation means someone else just created it). */
export async function createTrait(
  trx: PlacementTrx,
  name: string,
  clock: Clock,
): Promise<TraitRecord> {
  const row = await trx
    .insertInto('placement_traits')
    .values({ name, created_at: now(clock), updated_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRecord(row);
}

/** Deletes a trait unless a provider has it. */
export async function deleteTrait(
  trx: PlacementTrx,
  trait: TraitRecord,
): Promise<'deleted' | 'in_use' | 'not_found'> {
  const used = await trx
    .selectFrom('placement_provider_traits')
    .select('trait_id')
    .where('trait_id', '=', trait.id)
    .limit(1)
    .executeTakeFirst();
  if (used) return 'in_use';
  const res = await trx
    .deleteFrom('placement_traits')
    .where('id', '=', trait.id)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0 ? 'deleted' : 'not_found';
}

/** The traits of a provider, by name. */
export async function providerTraits(
  db: PlacementExecutor,
  providerId: number,
): Promise<TraitRecord[]> {
  const rows = await db
    .selectFrom('placement_provider_traits as pt')
    .innerJoin('placement_traits as t', 't.id', 'pt.trait_id')
    .selectAll('t')
    .where('pt.resource_provider_id', '=', providerId)
    .orderBy('t.name')
    .execute();
  return rows.map(toRecord);
}

/** Makes a provider's traits exactly `wanted`; returns whether anything changed. */
export async function setProviderTraits(
  trx: PlacementTrx,
  providerId: number,
  wanted: Iterable<number>,
): Promise<boolean> {
  const want = new Set(wanted);
  const have = new Set(
    (
      await trx
        .selectFrom('placement_provider_traits')
        .select('trait_id')
        .where('resource_provider_id', '=', providerId)
        .execute()
    ).map((r) => r.trait_id),
  );
  const toAdd = [...want].filter((id) => !have.has(id));
  const toDelete = [...have].filter((id) => !want.has(id));
  if (toDelete.length > 0) {
    await trx
      .deleteFrom('placement_provider_traits')
      .where('resource_provider_id', '=', providerId)
      .where('trait_id', 'in', toDelete)
      .execute();
  }
  if (toAdd.length > 0) {
    await trx
      .insertInto('placement_provider_traits')
      .values(toAdd.map((trait_id) => ({ resource_provider_id: providerId, trait_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return toAdd.length > 0 || toDelete.length > 0;
}
