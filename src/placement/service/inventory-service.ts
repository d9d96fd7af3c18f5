import {
  ConcurrentUpdateError,
  ErrorCode,
  badRequest,
  conflict,
  notFound,
} from '../placement-errors.js';
import { recordChange } from '../store/change-log.js';
import {
  InventoryInUseError,
  capacityOf,
  deleteInventories,
  insertInventory,
  listInventories,
  replaceInventories,
  updateInventory,
  type InventoryFields,
  type InventoryRecord,
} from '../store/inventories.js';
import { bumpGeneration, type ProviderRecord } from '../store/providers.js';
import { getResourceClass, resourceClassIds } from '../store/resource-classes.js';
import type { Microversion } from '../api/microversion.js';
import { requireProvider } from './provider-service.js';
import { write, type PlacementDeps } from './placement-deps.js';

/** Upstream's defaults for the optional inventory fields. */
export const INVENTORY_DEFAULTS = {
  reserved: 0,
  min_unit: 1,
  max_unit: 0x7fffffff,
  step_size: 1,
  allocation_ratio: 1.0,
} as const;

/** Fills in the defaults of an inventory given by a client. */
export function withDefaults(given: Partial<InventoryFields> & { total: number }): InventoryFields {
  return { ...INVENTORY_DEFAULTS, ...given };
}

/**
 * upstream's capacity rule: before 1.26 reserved must leave some capacity; from 1.26 reserved
 * may equal total. Returns the message of the first bad inventory, or null.
 */
export function capacityProblem(
  version: Microversion,
  providerUuid: string,
  inventories: [string, InventoryFields][],
): string | null {
  const reservedMayEqualTotal = version.atLeast(26);
  for (const [rc, inv] of inventories) {
    const cap = capacityOf(inv);
    if (reservedMayEqualTotal ? cap < 0 : cap <= 0) {
      return (
        `Invalid inventory for '${rc}' on resource provider '${providerUuid}'. ` +
        (reservedMayEqualTotal
          ? 'The reserved value is greater than total.'
          : 'The reserved value is greater than or equal to total.')
      );
    }
  }
  return null;
}

/** A provider with its inventories (GET .../inventories). */
export async function providerInventories(
  deps: PlacementDeps,
  uuid: string,
): Promise<{ provider: ProviderRecord; inventories: InventoryRecord[] }> {
  const provider = await requireProvider(
    deps,
    uuid,
    `No resource provider with uuid ${uuid} found : No resource provider with uuid ${uuid} found`,
  );
  return { provider, inventories: await listInventories(deps.database.kysely, provider.id) };
}

/** One inventory of a provider (GET .../inventories/{rc}). */
export async function providerInventory(
  deps: PlacementDeps,
  uuid: string,
  rc: string,
): Promise<{ provider: ProviderRecord; inventory: InventoryRecord }> {
  const { provider, inventories } = await providerInventories(deps, uuid);
  const inventory = inventories.find((i) => i.resourceClass === rc);
  if (!inventory) throw notFound(`No inventory of class ${rc} for ${uuid}`);
  return { provider, inventory };
}

function concurrent(prefix: string, err: ConcurrentUpdateError) {
  return conflict(`${prefix}${err.message}`, ErrorCode.CONCURRENT_UPDATE);
}

/** POST .../inventories: adds one inventory of a class the provider does not have yet. */
export async function addInventory(
  deps: PlacementDeps,
  version: Microversion,
  uuid: string,
  rc: string,
  fields: InventoryFields,
): Promise<{ provider: ProviderRecord; inventory: InventoryRecord }> {
  const provider = await requireProvider(deps, uuid);
  const unable = `Unable to create inventory for resource provider ${uuid}: `;
  const problem = capacityProblem(version, uuid, [[rc, fields]]);
  if (problem) throw badRequest(unable + problem);
  const rcRow = await getResourceClass(deps.database.kysely, rc);
  if (!rcRow) throw badRequest(`${unable}No such resource class ${rc}.`);
  try {
    const generation = await write(deps, async (trx) => {
      const existing = await trx
        .selectFrom('placement_inventories')
        .select('id')
        .where('resource_provider_id', '=', provider.id)
        .where('resource_class_id', '=', rcRow.id)
        .executeTakeFirst();
      if (existing) {
        throw conflict(
          `Update conflict: Inventory for '${rc}' on resource provider '${uuid}' already exists.`,
          ErrorCode.CONCURRENT_UPDATE,
        );
      }
      await insertInventory(trx, provider.id, rcRow.id, fields, deps.clock);
      const gen = await bumpGeneration(trx, provider.id, provider.generation, deps.clock);
      await recordChange(trx, [provider.id]);
      return gen;
    });
    const inventory = (await listInventories(deps.database.kysely, provider.id)).find(
      (i) => i.resourceClassId === rcRow.id,
    )!;
    return { provider: { ...provider, generation }, inventory };
  } catch (err) {
    if (err instanceof ConcurrentUpdateError) throw concurrent('Update conflict: ', err);
    throw err;
  }
}

/** PUT .../inventories/{rc}: changes one existing inventory. */
export async function changeInventory(
  deps: PlacementDeps,
  version: Microversion,
  uuid: string,
  rc: string,
  generation: number,
  fields: InventoryFields,
): Promise<{ provider: ProviderRecord; inventory: InventoryRecord }> {
  const provider = await requireProvider(deps, uuid);
  if (generation !== provider.generation) {
    throw conflict('resource provider generation conflict', ErrorCode.CONCURRENT_UPDATE);
  }
  const unable = `Unable to update inventory for resource provider ${uuid}: `;
  const problem = capacityProblem(version, uuid, [[rc, fields]]);
  if (problem) throw badRequest(unable + problem);
  const rcRow = await getResourceClass(deps.database.kysely, rc);
  if (!rcRow) throw notFound(`No such resource class ${rc}.`);
  try {
    const newGen = await write(deps, async (trx) => {
      if (!(await updateInventory(trx, provider.id, rcRow.id, fields, deps.clock))) {
        throw badRequest(
          `No inventory record with resource class for resource provider ${uuid}: ` +
            `No inventory of class ${rc} found.`,
        );
      }
      const gen = await bumpGeneration(trx, provider.id, provider.generation, deps.clock);
      await recordChange(trx, [provider.id]);
      return gen;
    });
    const inventory = (await listInventories(deps.database.kysely, provider.id)).find(
      (i) => i.resourceClassId === rcRow.id,
    )!;
    return { provider: { ...provider, generation: newGen }, inventory };
  } catch (err) {
    if (err instanceof ConcurrentUpdateError) throw concurrent('update conflict: ', err);
    throw err;
  }
}

/** DELETE .../inventories/{rc}. */
export async function removeInventory(
  deps: PlacementDeps,
  uuid: string,
  rc: string,
): Promise<void> {
  const provider = await requireProvider(deps, uuid);
  const missing = `No inventory of class ${rc} found for delete: `;
  const rcRow = await getResourceClass(deps.database.kysely, rc);
  if (!rcRow) throw notFound(`${missing}No such resource class ${rc}.`);
  try {
    await write(deps, async (trx) => {
      const n = await deleteInventories(trx, provider, [rcRow.id]);
      if (n === 0) throw notFound(`${missing}No inventory of class ${rc} found for delete`);
      await bumpGeneration(trx, provider.id, provider.generation, deps.clock);
      await recordChange(trx, [provider.id]);
    });
  } catch (err) {
    if (err instanceof ConcurrentUpdateError || err instanceof InventoryInUseError) {
      // Upstream reports an in-use inventory here with the concurrent_update code.
      throw conflict(
        `Unable to delete inventory of class ${rc}: ${err.message}`,
        ErrorCode.CONCURRENT_UPDATE,
      );
    }
    throw err;
  }
}

/** PUT .../inventories: replaces all of a provider's inventory. */
export async function replaceAllInventories(
  deps: PlacementDeps,
  version: Microversion,
  uuid: string,
  generation: number,
  inventories: Map<string, InventoryFields>,
): Promise<{ provider: ProviderRecord; inventories: InventoryRecord[] }> {
  const provider = await requireProvider(deps, uuid);
  if (generation !== provider.generation) {
    throw conflict('resource provider generation conflict', ErrorCode.CONCURRENT_UPDATE);
  }
  const problem = capacityProblem(version, uuid, [...inventories]);
  if (problem)
    throw badRequest(`Unable to update inventory for resource provider ${uuid}: ${problem}`);
  const newGen = await setProviderInventories(deps, provider, inventories, 'update conflict: ');
  return {
    provider: { ...provider, generation: newGen },
    inventories: await listInventories(deps.database.kysely, provider.id),
  };
}

/** DELETE .../inventories (1.5+): removes all of a provider's inventory. */
export async function removeAllInventories(deps: PlacementDeps, uuid: string): Promise<void> {
  const provider = await requireProvider(deps, uuid);
  try {
    await setProviderInventories(deps, provider, new Map(), '');
  } catch (err) {
    const e = err as { code?: string };
    if (e.code === ErrorCode.CONCURRENT_UPDATE) {
      throw conflict(
        `Unable to delete inventory for resource provider ${uuid} because the inventory was ` +
          'updated by another process. Please retry your request.',
        ErrorCode.CONCURRENT_UPDATE,
      );
    }
    throw err;
  }
}

async function setProviderInventories(
  deps: PlacementDeps,
  provider: ProviderRecord,
  inventories: Map<string, InventoryFields>,
  prefix: string,
): Promise<number> {
  const ids = await resourceClassIds(deps.database.kysely, inventories.keys());
  const unknown = [...inventories.keys()].find((rc) => !ids.has(rc));
  if (unknown !== undefined) {
    throw badRequest(
      `Unknown resource class in inventory for resource provider ${provider.uuid}: ` +
        `No such resource class ${unknown}.`,
    );
  }
  const wanted = new Map([...inventories].map(([rc, inv]) => [ids.get(rc)!, inv]));
  try {
    return await write(deps, async (trx) => {
      await replaceInventories(trx, provider, wanted, deps.clock);
      const gen = await bumpGeneration(trx, provider.id, provider.generation, deps.clock);
      await recordChange(trx, [provider.id]);
      return gen;
    });
  } catch (err) {
    if (err instanceof InventoryInUseError) {
      throw conflict(`${prefix}${err.message}`, ErrorCode.INVENTORY_INUSE);
    }
    if (err instanceof ConcurrentUpdateError) throw concurrent(prefix, err);
    throw err;
  }
}
