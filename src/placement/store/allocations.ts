import type { Clock } from '../../common/clock.js';
import type { DialectName } from '../../platform/db/database.js';
import { now } from '../../platform/db/timestamps.js';
import type { PlacementExecutor, PlacementTrx } from '../db/tables.js';
import { listSlots, listValues, queryTemplates } from '../../platform/db/query-templates.js';

/** One allocation of a consumer, with its provider. */
export interface ConsumerAllocationRow {
  providerId: number;
  providerUuid: string;
  providerGeneration: number;
  resourceClass: string;
  used: number;
  createdAt: string;
}

/** One allocation against a provider, with its consumer. */
export interface ProviderAllocationRow {
  consumerUuid: string;
  consumerGeneration: number | null;
  resourceClass: string;
  used: number;
  createdAt: string;
}

/** A consumer's allocations, by provider and class. */
export async function consumerAllocations(
  db: PlacementExecutor,
  consumerUuid: string,
): Promise<ConsumerAllocationRow[]> {
  const rows = await db
    .selectFrom('placement_allocations as a')
    .innerJoin('placement_resource_providers as rp', 'rp.id', 'a.resource_provider_id')
    .innerJoin('placement_resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .select(['rp.id', 'rp.uuid', 'rp.generation', 'rc.name', 'a.used', 'a.created_at'])
    .where('a.consumer_id', '=', consumerUuid)
    .orderBy('rp.id')
    .orderBy('rc.id')
    .execute();
  return rows.map((r) => ({
    providerId: r.id,
    providerUuid: r.uuid,
    providerGeneration: r.generation,
    resourceClass: r.name,
    used: r.used,
    createdAt: r.created_at,
  }));
}

/** The allocations against a provider, with their consumers' generations. */
export async function providerAllocations(
  db: PlacementExecutor,
  providerId: number,
): Promise<ProviderAllocationRow[]> {
  const rows = await db
    .selectFrom('placement_allocations as a')
    .innerJoin('placement_resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .leftJoin('placement_consumers as c', 'c.uuid', 'a.consumer_id')
    .select(['a.consumer_id', 'c.generation', 'rc.name', 'a.used', 'a.created_at'])
    .where('a.resource_provider_id', '=', providerId)
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({
    consumerUuid: r.consumer_id,
    consumerGeneration: r.generation,
    resourceClass: r.name,
    used: r.used,
    createdAt: r.created_at,
  }));
}

/**
 * Locks the providers' rows for the rest of the transaction (PostgreSQL `FOR UPDATE`, in id
 * order so that two writers cannot deadlock; SQLite's BEGIN IMMEDIATE already serialises
 * writers) and returns their current generations.
 */
export async function lockProviders(
  trx: PlacementTrx,
  dialect: DialectName,
  ids: number[],
): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  let q = trx
    .selectFrom('placement_resource_providers')
    .select(['id', 'generation'])
    .where('id', 'in', ids)
    .orderBy('id');
  if (dialect === 'postgres') q = q.forUpdate();
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.id, r.generation]));
}

/** Deletes the consumers' allocations; returns the providers they were against. */
export async function deleteAllocationsOf(
  trx: PlacementTrx,
  consumerUuids: string[],
): Promise<Set<number>> {
  if (consumerUuids.length === 0) return new Set();
  const rows = await trx
    .selectFrom('placement_allocations')
    .select('resource_provider_id')
    .where('consumer_id', 'in', consumerUuids)
    .execute();
  await trx.deleteFrom('placement_allocations').where('consumer_id', 'in', consumerUuids).execute();
  return new Set(rows.map((r) => r.resource_provider_id));
}

/** Usage by provider and class: provider id → class id → amount used. */
export type UsageMap = Map<number, Map<number, number>>;

/** The current usage of the providers in the classes given. */
export async function usageOf(
  db: PlacementExecutor,
  providerIds: number[],
  classIds: number[],
): Promise<UsageMap> {
  const out: UsageMap = new Map();
  if (providerIds.length === 0 || classIds.length === 0) return out;
  // Every allocation write checks capacity with it: built once per list lengths.
  const rows = await queryTemplates(db).execute(
    `placement_allocations.usage:${providerIds.length}:${classIds.length}`,
    (slot) =>
      db
        .selectFrom('placement_allocations')
        .select((eb) => [
          'resource_provider_id',
          'resource_class_id',
          eb.fn.sum<number>('used').as('used'),
        ])
        .where('resource_provider_id', 'in', listSlots(slot, 'rp', providerIds.length))
        .where('resource_class_id', 'in', listSlots(slot, 'rc', classIds.length))
        .groupBy(['resource_provider_id', 'resource_class_id']),
    { ...listValues('rp', providerIds), ...listValues('rc', classIds) },
  );
  for (const r of rows) {
    const m = out.get(r.resource_provider_id) ?? new Map<number, number>();
    m.set(r.resource_class_id, Number(r.used));
    out.set(r.resource_provider_id, m);
  }
  return out;
}

/** The inventory limits that bound an allocation. */
export interface InventoryLimits {
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

/** The inventories of the providers in the classes given: provider id → class id → limits. */
export async function inventoryLimits(
  db: PlacementExecutor,
  providerIds: number[],
  classIds: number[],
): Promise<Map<number, Map<number, InventoryLimits>>> {
  const out = new Map<number, Map<number, InventoryLimits>>();
  if (providerIds.length === 0 || classIds.length === 0) return out;
  const rows = await db
    .selectFrom('placement_inventories')
    .select([
      'resource_provider_id',
      'resource_class_id',
      'total',
      'reserved',
      'min_unit',
      'max_unit',
      'step_size',
      'allocation_ratio',
    ])
    .where('resource_provider_id', 'in', providerIds)
    .where('resource_class_id', 'in', classIds)
    .execute();
  for (const r of rows) {
    const m = out.get(r.resource_provider_id) ?? new Map<number, InventoryLimits>();
    m.set(r.resource_class_id, { ...r, allocation_ratio: Number(r.allocation_ratio) });
    out.set(r.resource_provider_id, m);
  }
  return out;
}

/** One allocation to write. */
export interface NewAllocation {
  providerId: number;
  consumerUuid: string;
  resourceClassId: number;
  used: number;
}

/** Inserts allocations. */
export async function insertAllocations(
  trx: PlacementTrx,
  allocations: NewAllocation[],
  clock: Clock,
): Promise<void> {
  const ts = now(clock);
  for (let i = 0; i < allocations.length; i += 500) {
    await trx
      .insertInto('placement_allocations')
      .values(
        allocations.slice(i, i + 500).map((a) => ({
          resource_provider_id: a.providerId,
          consumer_id: a.consumerUuid,
          resource_class_id: a.resourceClassId,
          used: a.used,
          created_at: ts,
          updated_at: null,
        })),
      )
      .execute();
  }
}
