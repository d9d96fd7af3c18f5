import {
  ConcurrentUpdateError,
  ErrorCode,
  PlacementError,
  badRequest,
  conflict,
  notFound,
} from '../placement-errors.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { isCustom } from '../standard-catalog.js';
import { recordChange } from '../store/change-log.js';
import { bumpGeneration, type ProviderRecord } from '../store/providers.js';
import {
  createTrait,
  deleteTrait,
  getTrait,
  listTraits,
  providerTraits,
  setProviderTraits,
  type TraitRecord,
} from '../store/traits.js';
import { requireProvider } from './provider-service.js';
import { write, type PlacementDeps } from './placement-deps.js';

/** PUT /traits/{name}: creates a custom trait; `created` false when it existed already. */
export async function ensureTrait(
  deps: PlacementDeps,
  name: string,
): Promise<{ trait: TraitRecord | undefined; created: boolean }> {
  const existing = await getTrait(deps.database.kysely, name);
  if (existing) return { trait: existing, created: false };
  try {
    const trait = await write(deps, async (trx) => {
      const created = await createTrait(trx, name, deps.clock);
      await recordChange(trx, []);
      return created;
    });
    return { trait, created: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return { trait: await getTrait(deps.database.kysely, name), created: false };
  }
}

/** GET /traits/{name}. */
export async function showTrait(deps: PlacementDeps, name: string): Promise<TraitRecord> {
  const trait = await getTrait(deps.database.kysely, name);
  if (!trait) throw notFound(`No such trait(s): ${name}.`);
  return trait;
}

/** DELETE /traits/{name}. */
export async function removeTrait(deps: PlacementDeps, name: string): Promise<void> {
  const trait = await showTrait(deps, name);
  if (!isCustom(name)) throw badRequest(`Cannot delete standard trait ${name}.`);
  await write(deps, async (trx) => {
    const outcome = await deleteTrait(trx, trait);
    if (outcome === 'in_use') {
      throw conflict(`The trait ${name} is in use by a resource provider.`);
    }
    if (outcome === 'not_found') throw notFound(`No such trait(s): ${name}.`);
    await recordChange(trx, []);
  });
}

/** GET /traits with its filters. */
export function searchTraits(
  deps: PlacementDeps,
  filter: Parameters<typeof listTraits>[1],
): Promise<TraitRecord[]> {
  return listTraits(deps.database.kysely, filter);
}

/** GET /resource_providers/{uuid}/traits. */
export async function traitsOfProvider(
  deps: PlacementDeps,
  uuid: string,
): Promise<{ provider: ProviderRecord; traits: TraitRecord[] }> {
  const provider = await requireProvider(
    deps,
    uuid,
    `No resource provider with uuid ${uuid} found: No resource provider with uuid ${uuid} found`,
  );
  return { provider, traits: await providerTraits(deps.database.kysely, provider.id) };
}

/**
 * PUT /resource_providers/{uuid}/traits: sets exactly these traits. The generation moves only
 * when the set changes (as upstream).
 */
export async function setTraitsOfProvider(
  deps: PlacementDeps,
  uuid: string,
  generation: number,
  names: string[],
): Promise<{ provider: ProviderRecord; traits: TraitRecord[] }> {
  const provider = await requireProvider(deps, uuid);
  if (provider.generation !== generation) {
    throw conflict(
      "Resource provider's generation already changed. Please update the generation and try again.",
      ErrorCode.CONCURRENT_UPDATE,
    );
  }
  const found = await listTraits(deps.database.kysely, { nameIn: [...new Set(names)] });
  const known = new Set(found.map((t) => t.name));
  const missing = [...new Set(names)].filter((n) => !known.has(n));
  if (missing.length > 0) throw badRequest(`No such trait ${missing.join(', ')}`);
  const newGen = await applyProviderTraits(
    deps,
    provider,
    found.map((t) => t.id),
  );
  return { provider: { ...provider, generation: newGen }, traits: found };
}

/** DELETE /resource_providers/{uuid}/traits. */
export async function clearTraitsOfProvider(deps: PlacementDeps, uuid: string): Promise<void> {
  const provider = await requireProvider(deps, uuid);
  await applyProviderTraits(deps, provider, []);
}

async function applyProviderTraits(
  deps: PlacementDeps,
  provider: ProviderRecord,
  traitIds: number[],
): Promise<number> {
  try {
    return await write(deps, async (trx) => {
      if (!(await setProviderTraits(trx, provider.id, traitIds))) return provider.generation;
      const gen = await bumpGeneration(trx, provider.id, provider.generation, deps.clock);
      await recordChange(trx, [provider.id]);
      return gen;
    });
  } catch (err) {
    if (err instanceof ConcurrentUpdateError) {
      throw new PlacementError(409, err.message, { code: ErrorCode.CONCURRENT_UPDATE });
    }
    throw err;
  }
}
