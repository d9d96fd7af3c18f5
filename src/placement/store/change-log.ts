import type { PlacementExecutor, PlacementTrx } from '../db/tables.js';

const CHUNK = 500;

/**
 * Records, as the last statement of a write transaction, which providers it changed (an empty
 * list records a catalog change: resource classes or traits). The single version row is
 * updated here, so on PostgreSQL its row lock is held from this point to commit: versions are
 * therefore assigned in commit order, which is what lets another replica apply "everything after
 * version N" without missing a transaction that committed late.
 */
export async function recordChange(
  trx: PlacementTrx,
  providerIds: Iterable<number>,
): Promise<number> {
  const row = await trx
    .updateTable('placement_change_version')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', 1)
    .returning('version')
    .executeTakeFirstOrThrow();
  const version = Number(row.version);
  const ids = [...new Set(providerIds)];
  const values = ids.length === 0 ? [null] : ids;
  for (let i = 0; i < values.length; i += CHUNK) {
    await trx
      .insertInto('placement_changes')
      .values(values.slice(i, i + CHUNK).map((id) => ({ version, resource_provider_id: id })))
      .execute();
  }
  return version;
}

/** The version of the last committed change and how far the log has been pruned. */
export async function readChangeVersion(
  db: PlacementExecutor,
): Promise<{ version: number; prunedThrough: number }> {
  const row = await db
    .selectFrom('placement_change_version')
    .select(['version', 'pruned_through'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { version: Number(row.version), prunedThrough: Number(row.pruned_through) };
}

/**
 * What changed after `since`: the providers touched, and whether the catalog changed (a change
 * row without a provider).
 */
export async function readChangesSince(
  db: PlacementExecutor,
  since: number,
): Promise<{ providerIds: Set<number>; catalog: boolean; upTo: number }> {
  const rows = await db
    .selectFrom('placement_changes')
    .select(['version', 'resource_provider_id'])
    .where('version', '>', since)
    .execute();
  const providerIds = new Set<number>();
  let catalog = false;
  let upTo = since;
  for (const r of rows) {
    upTo = Math.max(upTo, Number(r.version));
    if (r.resource_provider_id === null) catalog = true;
    else providerIds.add(r.resource_provider_id);
  }
  return { providerIds, catalog, upTo };
}

/** Deletes change rows older than the newest `keep` versions; returns how many went. */
export async function pruneChanges(trx: PlacementTrx, keep: number): Promise<number> {
  const { version, prunedThrough } = await readChangeVersion(trx);
  const through = version - keep;
  if (through <= prunedThrough) return 0;
  // Raise the mark first: a replica that reads it will reload rather than miss pruned rows.
  await trx
    .updateTable('placement_change_version')
    .set({ pruned_through: through })
    .where('id', '=', 1)
    .execute();
  const res = await trx.deleteFrom('placement_changes').where('version', '<=', through).execute();
  return Number(res[0]?.numDeletedRows ?? 0);
}
