import type { Clock } from '../../common/clock.js';
import { now } from '../../platform/db/timestamps.js';
import type { PlacementExecutor, PlacementTrx } from '../db/tables.js';

/** The aggregate UUIDs a provider belongs to, in the order they were first seen. */
export async function providerAggregates(
  db: PlacementExecutor,
  providerId: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('placement_provider_aggregates as pa')
    .innerJoin('placement_aggregates as a', 'a.id', 'pa.aggregate_id')
    .select('a.uuid')
    .where('pa.resource_provider_id', '=', providerId)
    .orderBy('a.id')
    .execute();
  return rows.map((r) => r.uuid);
}

/** Internal ids of the aggregates with these UUIDs (unknown ones are absent). */
export async function aggregateIds(
  db: PlacementExecutor,
  uuids: Iterable<string>,
): Promise<Map<string, number>> {
  const list = [...new Set(uuids)];
  if (list.length === 0) return new Map();
  const rows = await db
    .selectFrom('placement_aggregates')
    .select(['id', 'uuid'])
    .where('uuid', 'in', list)
    .execute();
  return new Map(rows.map((r) => [r.uuid, r.id]));
}

/**
 * Makes a provider's aggregates exactly `uuids`, creating aggregate records on first use
 * (placement does not validate aggregate UUIDs against anything). Returns whether it changed.
 */
export async function setProviderAggregates(
  trx: PlacementTrx,
  providerId: number,
  uuids: string[],
  clock: Clock,
): Promise<boolean> {
  const wanted = [...new Set(uuids)];
  if (wanted.length > 0) {
    const ts = now(clock);
    await trx
      .insertInto('placement_aggregates')
      .values(wanted.map((uuid) => ({ uuid, created_at: ts })))
      .onConflict((oc) => oc.column('uuid').doNothing())
      .execute();
  }
  const ids = await aggregateIds(trx, wanted);
  const want = new Set(ids.values());
  const have = new Set(
    (
      await trx
        .selectFrom('placement_provider_aggregates')
        .select('aggregate_id')
        .where('resource_provider_id', '=', providerId)
        .execute()
    ).map((r) => r.aggregate_id),
  );
  const toAdd = [...want].filter((id) => !have.has(id));
  const toDelete = [...have].filter((id) => !want.has(id));
  if (toDelete.length > 0) {
    await trx
      .deleteFrom('placement_provider_aggregates')
      .where('resource_provider_id', '=', providerId)
      .where('aggregate_id', 'in', toDelete)
      .execute();
  }
  if (toAdd.length > 0) {
    await trx
      .insertInto('placement_provider_aggregates')
      .values(toAdd.map((aggregate_id) => ({ resource_provider_id: providerId, aggregate_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return toAdd.length > 0 || toDelete.length > 0;
}
