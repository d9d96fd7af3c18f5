import { notFound } from '../placement-errors.js';
import type { Microversion } from '../api/microversion.js';
import {
  consumerAllocations,
  deleteAllocationsOf,
  providerAllocations,
} from '../store/allocations.js';
import { recordChange } from '../store/change-log.js';
import { deleteConsumersWithoutAllocations, getConsumer } from '../store/consumers.js';
import type { ProviderRecord } from '../store/providers.js';
import { requireProvider } from './provider-service.js';
import { write, type PlacementDeps } from './placement-deps.js';

/** GET /allocations/{consumer}: the body for the microversion, and the newest allocation time. */
export async function showConsumerAllocations(
  deps: PlacementDeps,
  uuid: string,
  version: Microversion,
): Promise<{ body: Record<string, unknown>; lastModified: string | undefined }> {
  const db = deps.database.kysely;
  const rows = await consumerAllocations(db, uuid);
  const byProvider: Record<string, { generation: number; resources: Record<string, number> }> = {};
  let lastModified: string | undefined;
  for (const r of rows) {
    const entry = (byProvider[r.providerUuid] ??= {
      generation: r.providerGeneration,
      resources: {},
    });
    entry.resources[r.resourceClass] = r.used;
    if (lastModified === undefined || r.createdAt > lastModified) lastModified = r.createdAt;
  }
  const body: Record<string, unknown> = { allocations: byProvider };
  if (rows.length > 0 && version.atLeast(12)) {
    const consumer = await getConsumer(db, uuid);
    if (consumer) {
      body.project_id = consumer.projectExternalId;
      body.user_id = consumer.userExternalId;
      if (version.atLeast(28)) body.consumer_generation = consumer.generation;
      if (version.atLeast(38)) body.consumer_type = consumer.consumerType;
    }
  }
  return { body, lastModified };
}

/** GET /resource_providers/{uuid}/allocations. */
export async function showProviderAllocations(
  deps: PlacementDeps,
  uuid: string,
  version: Microversion,
): Promise<{ provider: ProviderRecord; body: Record<string, unknown>; lastModified?: string }> {
  const provider = await requireProvider(
    deps,
    uuid,
    `Resource provider '${uuid}' not found: No resource provider with uuid ${uuid} found`,
  );
  const rows = await providerAllocations(deps.database.kysely, provider.id);
  const byConsumer: Record<
    string,
    { resources: Record<string, number>; consumer_generation?: number | null }
  > = {};
  let lastModified: string | undefined;
  for (const r of rows) {
    const entry = (byConsumer[r.consumerUuid] ??= { resources: {} });
    entry.resources[r.resourceClass] = r.used;
    if (version.atLeast(28)) entry.consumer_generation = r.consumerGeneration;
    if (lastModified === undefined || r.createdAt > lastModified) lastModified = r.createdAt;
  }
  return {
    provider,
    body: { allocations: byConsumer, resource_provider_generation: provider.generation },
    ...(lastModified ? { lastModified } : {}),
  };
}

/**
 * DELETE /allocations/{consumer}: removes all of a consumer's allocations (and the consumer).
 * Like upstream this does not move the providers' generations; it is the unsafe way to delete.
 */
export async function deleteConsumerAllocations(deps: PlacementDeps, uuid: string): Promise<void> {
  await write(deps, async (trx) => {
    const providers = await deleteAllocationsOf(trx, [uuid]);
    if (providers.size === 0) throw notFound(`No allocations for consumer '${uuid}'`);
    await deleteConsumersWithoutAllocations(trx, [uuid]);
    await recordChange(trx, providers);
  });
}
