import { sql } from 'kysely';
import type { PlacementExecutor } from '../db/tables.js';
import { providerQuery, toProviderRecord, type ProviderRecord } from './providers.js';

/** Filters of GET /resource_providers, already resolved to internal ids. */
export interface ProviderListFilter {
  name?: string;
  uuid?: string;
  inTree?: string;
  /** Each inner list is any-of; the outer list is all-of. */
  requiredTraits?: number[][];
  forbiddenTraits?: number[];
  /** Aggregate UUIDs: each inner list is any-of; the outer list is all-of. */
  memberOf?: string[][];
  forbiddenAggregates?: string[];
  /** Resource class id → amount the provider must be able to serve now. */
  resources?: Map<number, number>;
}

/** Providers matching every filter, in creation order. */
export async function listProviders(
  db: PlacementExecutor,
  filter: ProviderListFilter,
): Promise<ProviderRecord[]> {
  let q = providerQuery(db);
  if (filter.name !== undefined) q = q.where('rp.name', '=', filter.name);
  if (filter.uuid !== undefined) q = q.where('rp.uuid', '=', filter.uuid);
  if (filter.inTree !== undefined) {
    const tree = await db
      .selectFrom('placement_resource_providers')
      .select('root_provider_id')
      .where('uuid', '=', filter.inTree)
      .executeTakeFirst();
    // Listing with an unknown tree simply finds nothing.
    if (!tree || tree.root_provider_id === null) return [];
    q = q.where('rp.root_provider_id', '=', tree.root_provider_id);
  }
  for (const anyOf of filter.requiredTraits ?? []) {
    q = q.where(
      'rp.id',
      'in',
      db
        .selectFrom('placement_provider_traits')
        .select('resource_provider_id')
        .where('trait_id', 'in', anyOf),
    );
  }
  if (filter.forbiddenTraits && filter.forbiddenTraits.length > 0) {
    const forbidden = filter.forbiddenTraits;
    q = q.where(
      'rp.id',
      'not in',
      db
        .selectFrom('placement_provider_traits')
        .select('resource_provider_id')
        .where('trait_id', 'in', forbidden),
    );
  }
  const inAggregates = (uuids: string[]) =>
    db
      .selectFrom('placement_provider_aggregates as pa')
      .innerJoin('placement_aggregates as a', 'a.id', 'pa.aggregate_id')
      .select('pa.resource_provider_id')
      .where('a.uuid', 'in', uuids);
  for (const anyOf of filter.memberOf ?? []) q = q.where('rp.id', 'in', inAggregates(anyOf));
  if (filter.forbiddenAggregates && filter.forbiddenAggregates.length > 0) {
    q = q.where('rp.id', 'not in', inAggregates(filter.forbiddenAggregates));
  }
  for (const [rcId, amount] of filter.resources ?? []) {
    // Upstream's capacity rule: room for `amount` now, within min_unit/max_unit/step_size.
    q = q.where(
      'rp.id',
      'in',
      sql<number>`(select i.resource_provider_id from placement_inventories i
        left join (select resource_provider_id, sum(used) as used from placement_allocations
                   where resource_class_id = ${rcId} group by resource_provider_id) u
          on u.resource_provider_id = i.resource_provider_id
        where i.resource_class_id = ${rcId}
          and coalesce(u.used, 0) + ${amount} <= (i.total - i.reserved) * i.allocation_ratio
          and i.min_unit <= ${amount} and i.max_unit >= ${amount}
          and ${amount} % i.step_size = 0)`,
    );
  }
  const rows = await q.orderBy('rp.id').execute();
  return rows.map(toProviderRecord);
}
