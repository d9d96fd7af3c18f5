import { ErrorCode, badRequest, conflict } from '../../placement-errors.js';
import type { PlacementConfig } from '../../placement-options.js';
import { AllocationWriteError, type ConsumerAllocations } from '../../service/allocation-writer.js';
import type { Microversion } from '../microversion.js';
import type {
  ConsumerAllocationsBody,
  ListAllocationsBody,
} from '../schemas/allocation-schemas.js';

function byProvider(
  entries: Iterable<[string, Record<string, number>]>,
): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [rp, resources] of entries) {
    const m = out.get(rp) ?? new Map<string, number>();
    for (const [rc, amount] of Object.entries(resources)) m.set(rc, amount);
    out.set(rp, m);
  }
  return out;
}

/**
 * One consumer's allocations from a request body of any microversion: the list form before
 * 1.12, the owner from 1.8 (before, upstream's "incomplete consumer" ids), the consumer
 * generation from 1.28, the consumer type from 1.38.
 */
export function consumerAllocationsFromBody(
  consumerUuid: string,
  body: ConsumerAllocationsBody | ListAllocationsBody,
  version: Microversion,
  config: PlacementConfig['placement'],
): ConsumerAllocations {
  const allocations = Array.isArray(body.allocations)
    ? byProvider(
        (body as ListAllocationsBody).allocations.map((a) => [
          a.resource_provider.uuid,
          a.resources,
        ]),
      )
    : byProvider(
        Object.entries((body as ConsumerAllocationsBody).allocations).map(([rp, a]) => [
          rp,
          a.resources,
        ]),
      );
  const out: ConsumerAllocations = {
    consumerUuid,
    projectId: body.project_id ?? config.incomplete_consumer_project_id,
    userId: body.user_id ?? config.incomplete_consumer_user_id,
    allocations,
  };
  const b = body as ConsumerAllocationsBody;
  if (version.atLeast(28)) out.generation = b.consumer_generation ?? null;
  if (version.atLeast(38) && b.consumer_type !== undefined) out.consumerType = b.consumer_type;
  return out;
}

/** Maps a failed allocation write to upstream's error for PUT or POST /allocations. */
export function allocationWriteFailure(err: unknown, unknownClassPrefix: string): unknown {
  if (!(err instanceof AllocationWriteError)) return err;
  switch (err.kind) {
    case 'missing_provider':
      return badRequest(err.message);
    case 'unknown_class':
      return badRequest(`${unknownClassPrefix}${err.message}`);
    case 'invalid_inventory':
      return conflict(`Unable to allocate inventory: ${err.message}`);
    case 'consumer_conflict':
      return conflict(err.message, ErrorCode.CONCURRENT_UPDATE);
    case 'concurrent':
      return conflict(
        `Inventory and/or allocations changed while attempting to allocate: ${err.message}`,
        ErrorCode.CONCURRENT_UPDATE,
      );
  }
}
