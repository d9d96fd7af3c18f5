import type { InventoryRecord } from '../../store/inventories.js';
import { PyFloat } from '../json-reply.js';

/** One inventory; upstream adds the provider generation only when it is non-zero. */
export function inventoryView(inv: InventoryRecord, generation?: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (generation) out.resource_provider_generation = generation;
  out.total = inv.total;
  out.reserved = inv.reserved;
  out.min_unit = inv.min_unit;
  out.max_unit = inv.max_unit;
  out.step_size = inv.step_size;
  out.allocation_ratio = new PyFloat(inv.allocation_ratio);
  return out;
}

/** A provider's inventories by resource class, with its generation. */
export function inventoriesView(
  inventories: InventoryRecord[],
  generation: number,
): Record<string, unknown> {
  const byClass: Record<string, unknown> = {};
  for (const inv of inventories) byClass[inv.resourceClass] = inventoryView(inv);
  return { resource_provider_generation: generation, inventories: byClass };
}
