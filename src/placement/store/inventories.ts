import type { Clock } from '../../common/clock.js';
import { now } from '../../platform/db/timestamps.js';
import type { PlacementExecutor, PlacementTrx } from '../db/tables.js';

/** The fields of one inventory as the API carries them. */
export interface InventoryFields {
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

/** An inventory row with its resource class name. */
export interface InventoryRecord extends InventoryFields {
  resourceClassId: number;
  resourceClass: string;
  createdAt: string;
  updatedAt: string | null;
}

/** What upstream's capacity is: (total - reserved) * allocation_ratio, truncated. */
export function capacityOf(inv: Pick<InventoryFields, 'total' | 'reserved' | 'allocation_ratio'>) {
  return Math.trunc((inv.total - inv.reserved) * inv.allocation_ratio);
}

/** Raised when inventory that has allocations against it would be removed. */
export class InventoryInUseError extends Error {
  constructor(
    readonly resourceClasses: string[],
    readonly providerUuid: string,
  ) {
    super(
      `Inventory for '${resourceClasses.join(', ')}' on resource provider '${providerUuid}' in use.`,
    );
    this.name = 'InventoryInUseError';
  }
}

/** Every inventory of a provider, in resource class id order. */
export async function listInventories(
  db: PlacementExecutor,
  providerId: number,
): Promise<InventoryRecord[]> {
  const rows = await db
    .selectFrom('placement_inventories as i')
    .innerJoin('placement_resource_classes as rc', 'rc.id', 'i.resource_class_id')
    .select([
      'i.resource_class_id',
      'rc.name',
      'i.total',
      'i.reserved',
      'i.min_unit',
      'i.max_unit',
      'i.step_size',
      'i.allocation_ratio',
      'i.created_at',
      'i.updated_at',
    ])
    .where('i.resource_provider_id', '=', providerId)
    .orderBy('i.resource_class_id')
    .execute();
  return rows.map((r) => ({
    resourceClassId: r.resource_class_id,
    resourceClass: r.name,
    total: r.total,
    reserved: r.reserved,
    min_unit: r.min_unit,
    max_unit: r.max_unit,
    step_size: r.step_size,
    allocation_ratio: Number(r.allocation_ratio),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** Inserts one inventory (the caller has checked that none exists for the class). */
export async function insertInventory(
  trx: PlacementTrx,
  providerId: number,
  resourceClassId: number,
  inv: InventoryFields,
  clock: Clock,
): Promise<void> {
  await trx
    .insertInto('placement_inventories')
    .values({
      resource_provider_id: providerId,
      resource_class_id: resourceClassId,
      ...inv,
      created_at: now(clock),
      updated_at: null,
    })
    .execute();
}

/** Updates one inventory; false when the provider has none of that class. */
export async function updateInventory(
  trx: PlacementTrx,
  providerId: number,
  resourceClassId: number,
  inv: InventoryFields,
  clock: Clock,
): Promise<boolean> {
  const res = await trx
    .updateTable('placement_inventories')
    .set({ ...inv, updated_at: now(clock) })
    .where('resource_provider_id', '=', providerId)
    .where('resource_class_id', '=', resourceClassId)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Deletes a provider's inventories of the given classes, refusing (InventoryInUseError) when
 * any of them has allocations. Returns how many rows went.
 */
export async function deleteInventories(
  trx: PlacementTrx,
  provider: { id: number; uuid: string },
  resourceClassIds: number[],
): Promise<number> {
  if (resourceClassIds.length === 0) return 0;
  const used = await trx
    .selectFrom('placement_allocations as a')
    .innerJoin('placement_resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .select(['a.resource_class_id', 'rc.name'])
    .where('a.resource_provider_id', '=', provider.id)
    .where('a.resource_class_id', 'in', resourceClassIds)
    .groupBy(['a.resource_class_id', 'rc.name'])
    .orderBy('a.resource_class_id')
    .execute();
  if (used.length > 0)
    throw new InventoryInUseError(
      used.map((u) => u.name),
      provider.uuid,
    );
  const res = await trx
    .deleteFrom('placement_inventories')
    .where('resource_provider_id', '=', provider.id)
    .where('resource_class_id', 'in', resourceClassIds)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/**
 * Replaces all of a provider's inventory with `wanted` (by resource class id): deletes what is
 * no longer wanted (refusing when in use), adds what is new, updates the rest.
 */
export async function replaceInventories(
  trx: PlacementTrx,
  provider: { id: number; uuid: string },
  wanted: Map<number, InventoryFields>,
  clock: Clock,
): Promise<void> {
  const existing = new Set(
    (
      await trx
        .selectFrom('placement_inventories')
        .select('resource_class_id')
        .where('resource_provider_id', '=', provider.id)
        .execute()
    ).map((r) => r.resource_class_id),
  );
  const toDelete = [...existing].filter((id) => !wanted.has(id));
  await deleteInventories(trx, provider, toDelete);
  for (const [rcId, inv] of wanted) {
    if (existing.has(rcId)) await updateInventory(trx, provider.id, rcId, inv, clock);
    else await insertInventory(trx, provider.id, rcId, inv, clock);
  }
}
