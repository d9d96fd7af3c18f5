import { ConcurrentUpdateError, ErrorCode, badRequest, conflict } from '../placement-errors.js';
import type { PlacementTrx } from '../db/tables.js';
import {
  InventoryInUseError,
  listInventories,
  replaceInventories,
  type InventoryFields,
} from '../store/inventories.js';
import { getProviders, type ProviderRecord } from '../store/providers.js';
import { resourceClassIds } from '../store/resource-classes.js';
import {
  AllocationWriteError,
  writeAllocations,
  type ConsumerAllocations,
} from './allocation-writer.js';
import type { PlacementDeps } from './placement-deps.js';

/** The new inventory of one provider in a reshape. */
export interface ReshapedInventory {
  generation: number;
  inventories: Map<string, InventoryFields>;
}

async function classIdsOf(
  trx: PlacementTrx,
  wanted: Iterable<string>,
): Promise<Map<string, number>> {
  const names = [...wanted];
  const ids = await resourceClassIds(trx, names);
  for (const n of names) {
    if (!ids.has(n))
      throw new AllocationWriteError('unknown_class', `No such resource class ${n}.`);
  }
  return ids;
}

/**
 * POST /reshaper: moves inventory between providers of a tree together with the allocations
 * against it, in one transaction (upstream's reshape): each provider first gets the union of
 * its old and new inventory, then the allocations are replaced (and checked against that
 * interim inventory), then each provider gets exactly its new inventory — which fails if any
 * allocation still uses a class being removed.
 */
export async function reshape(
  deps: PlacementDeps,
  inventories: Map<string, ReshapedInventory>,
  consumers: ConsumerAllocations[],
  checkGenerations: boolean,
): Promise<void> {
  const providers = await getProviders(deps.database.kysely, inventories.keys());
  for (const [uuid, inv] of inventories) {
    const rp = providers.get(uuid);
    if (!rp) {
      throw badRequest(
        `Resource provider ${uuid} in inventories not found: No resource provider with uuid ` +
          `${uuid} found`,
        ErrorCode.RESOURCE_PROVIDER_NOT_FOUND,
      );
    }
    if (rp.generation !== inv.generation) {
      throw conflict(
        `resource provider generation conflict for provider ${uuid}: actual: ${rp.generation}, ` +
          `given: ${inv.generation}`,
        ErrorCode.CONCURRENT_UPDATE,
      );
    }
  }
  const targets = [...inventories].map(([uuid, inv]) => ({ rp: providers.get(uuid)!, inv }));
  // Under the transaction's locks: replace a provider's inventory and move its generation on.
  const setInventory = async (
    trx: PlacementTrx,
    rp: ProviderRecord,
    wanted: Map<string, InventoryFields>,
  ): Promise<void> => {
    const ids = await classIdsOf(trx, wanted.keys());
    await replaceInventories(
      trx,
      rp,
      new Map([...wanted].map(([rc, fields]) => [ids.get(rc)!, fields])),
      deps.clock,
    );
    await trx
      .updateTable('placement_resource_providers')
      .set((eb) => ({ generation: eb('generation', '+', 1) }))
      .where('id', '=', rp.id)
      .execute();
  };
  try {
    await writeAllocations(deps, consumers, {
      checkGenerations,
      alsoLock: targets.map((t) => t.rp.id),
      beforeAllocations: async (trx) => {
        // The providers are locked: they must still be at the generations the caller gave.
        const current = await getProviders(trx, inventories.keys());
        for (const { rp, inv } of targets) {
          if (current.get(rp.uuid)?.generation !== inv.generation) {
            throw new ConcurrentUpdateError(
              'Another thread concurrently updated the resource provider data. Please retry ' +
                'your update',
            );
          }
        }
        for (const { rp, inv } of targets) {
          if (inv.inventories.size === 0) continue;
          const interim = new Map<string, InventoryFields>(
            (await listInventories(trx, rp.id)).map((i) => [
              i.resourceClass,
              {
                total: i.total,
                reserved: i.reserved,
                min_unit: i.min_unit,
                max_unit: i.max_unit,
                step_size: i.step_size,
                allocation_ratio: i.allocation_ratio,
              },
            ]),
          );
          for (const [rc, fields] of inv.inventories) interim.set(rc, fields);
          await setInventory(trx, rp, interim);
        }
        return targets.map((t) => t.rp.id);
      },
      afterAllocations: async (trx) => {
        for (const { rp, inv } of targets) await setInventory(trx, rp, inv.inventories);
        return targets.map((t) => t.rp.id);
      },
    });
  } catch (err) {
    if (err instanceof InventoryInUseError) {
      throw conflict(`update conflict: ${err.message}`, ErrorCode.INVENTORY_INUSE);
    }
    if (!(err instanceof AllocationWriteError)) throw err;
    switch (err.kind) {
      case 'missing_provider':
        throw badRequest(err.message);
      case 'unknown_class':
        throw badRequest(`malformed reshaper data: ${err.message}`);
      case 'invalid_inventory':
        throw conflict(`Unable to allocate inventory: ${err.message}`);
      case 'consumer_conflict':
        throw conflict(err.message, ErrorCode.CONCURRENT_UPDATE);
      case 'concurrent':
        throw conflict(`update conflict: ${err.message}`, ErrorCode.CONCURRENT_UPDATE);
    }
  }
}
