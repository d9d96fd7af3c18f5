import type { IndexedInventory } from './provider-index.js';

/** upstream's rule for a provider serving `amount` of one class now (SQL capacity clause). */
export function canServe(inv: IndexedInventory | undefined, amount: number): boolean {
  return (
    inv !== undefined &&
    inv.used + amount <= (inv.total - inv.reserved) * inv.ratio &&
    inv.minUnit <= amount &&
    inv.maxUnit >= amount &&
    amount % inv.stepSize === 0
  );
}

/** The capacity a provider summary shows: (total - reserved) * ratio, truncated. */
export function summaryCapacity(inv: IndexedInventory): number {
  return Math.trunc((inv.total - inv.reserved) * inv.ratio);
}
