import type { InventoryLimits, UsageMap } from '../store/allocations.js';

/** One allocation being checked (used 0 marks an allocation being removed, as upstream). */
export interface CheckedAllocation {
  providerId: number;
  providerUuid: string;
  resourceClassId: number;
  resourceClass: string;
  used: number;
}

/**
 * upstream's capacity rules for a set of allocations written together, returning the message of
 * the first violation or null:
 * - a provider with no inventory of any class asked of it, or of the class of one allocation,
 *   is invalid;
 * - each allocation must respect min_unit, max_unit and step_size;
 * - usage plus the amounts asked must stay within (total - reserved) * allocation_ratio, unless
 *   the write only reduces an existing overage (usage before this write was higher).
 */
export function capacityViolation(
  allocations: CheckedAllocation[],
  limits: Map<number, Map<number, InventoryLimits>>,
  usage: UsageMap,
  usageBefore: UsageMap,
): string | null {
  const allClasses = [...new Map(allocations.map((a) => [a.resourceClassId, a.resourceClass]))];
  const missing = [...new Map(allocations.map((a) => [a.providerId, a.providerUuid]))]
    .filter(([id]) => !allClasses.some(([rcId]) => limits.get(id)?.has(rcId)))
    .map(([, uuid]) => uuid);
  if (missing.length > 0) {
    return (
      `Inventory for '${allClasses.map(([, n]) => n).join(', ')}' on resource provider ` +
      `'${missing.join(', ')}' invalid.`
    );
  }
  const cumulative = new Map<string, number>();
  for (const a of allocations) {
    const key = `${a.providerId}:${a.resourceClassId}`;
    const total = (cumulative.get(key) ?? 0) + a.used;
    cumulative.set(key, total);
    if (a.used === 0) continue;
    const inv = limits.get(a.providerId)?.get(a.resourceClassId);
    if (!inv) {
      return `Inventory for '${a.resourceClass}' on resource provider '${a.providerUuid}' invalid.`;
    }
    if (a.used < inv.min_unit || a.used > inv.max_unit || a.used % inv.step_size !== 0) {
      return (
        `Unable to create allocation for '${a.resourceClass}' on resource provider ` +
        `'${a.providerUuid}'. The requested amount would violate inventory constraints.`
      );
    }
    const used = usage.get(a.providerId)?.get(a.resourceClassId) ?? 0;
    const capacity = (inv.total - inv.reserved) * inv.allocation_ratio;
    if (capacity < used + a.used || capacity < used + total) {
      const before = usageBefore.get(a.providerId)?.get(a.resourceClassId);
      // Shrinking an allocation on an over-committed provider is allowed (upstream).
      if (before !== undefined && used + total <= before) continue;
      return (
        `Unable to create allocation for '${a.resourceClass}' on resource provider ` +
        `'${a.providerUuid}'. The requested amount would exceed the capacity.`
      );
    }
  }
  return null;
}
