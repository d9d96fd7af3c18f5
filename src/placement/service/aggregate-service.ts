import { ConcurrentUpdateError, ErrorCode, conflict } from '../placement-errors.js';
import { providerAggregates, setProviderAggregates } from '../store/aggregates.js';
import { recordChange } from '../store/change-log.js';
import { bumpGeneration, type ProviderRecord } from '../store/providers.js';
import { requireProvider } from './provider-service.js';
import { write, type PlacementDeps } from './placement-deps.js';

/** GET /resource_providers/{uuid}/aggregates. */
export async function aggregatesOfProvider(
  deps: PlacementDeps,
  uuid: string,
): Promise<{ provider: ProviderRecord; aggregates: string[] }> {
  const provider = await requireProvider(deps, uuid);
  return { provider, aggregates: await providerAggregates(deps.database.kysely, provider.id) };
}

/**
 * PUT /resource_providers/{uuid}/aggregates. From 1.19 the caller's generation is checked and
 * the provider's generation moves; before, neither (upstream).
 */
export async function setAggregatesOfProvider(
  deps: PlacementDeps,
  uuid: string,
  aggregates: string[],
  generation: number | undefined,
): Promise<ProviderRecord> {
  const provider = await requireProvider(deps, uuid);
  const generationConflict = () =>
    conflict(
      "Resource provider's generation already changed. Please update the generation and try again.",
      ErrorCode.CONCURRENT_UPDATE,
    );
  if (generation !== undefined && generation !== provider.generation) throw generationConflict();
  try {
    const newGen = await write(deps, async (trx) => {
      await setProviderAggregates(trx, provider.id, aggregates, deps.clock);
      const gen =
        generation === undefined
          ? provider.generation
          : await bumpGeneration(trx, provider.id, provider.generation, deps.clock);
      await recordChange(trx, [provider.id]);
      return gen;
    });
    return { ...provider, generation: newGen };
  } catch (err) {
    if (err instanceof ConcurrentUpdateError) {
      throw conflict(`Update conflict: ${err.message}`, ErrorCode.CONCURRENT_UPDATE);
    }
    throw err;
  }
}
