import type { PlacementExecutor } from '../db/tables.js';
import { UNKNOWN_CONSUMER_TYPE } from './consumers.js';

/** A provider's usage of every class it has inventory of (0 when nothing is allocated). */
export async function providerUsages(
  db: PlacementExecutor,
  providerId: number,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('placement_inventories as i')
    .innerJoin('placement_resource_classes as rc', 'rc.id', 'i.resource_class_id')
    .leftJoin('placement_allocations as a', (join) =>
      join
        .onRef('a.resource_provider_id', '=', 'i.resource_provider_id')
        .onRef('a.resource_class_id', '=', 'i.resource_class_id'),
    )
    .select((eb) => ['rc.name', eb.fn.coalesce(eb.fn.sum<number>('a.used'), eb.val(0)).as('used')])
    .where('i.resource_provider_id', '=', providerId)
    .groupBy(['i.resource_class_id', 'rc.name'])
    .orderBy('i.resource_class_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.used)]));
}

function projectAllocations(db: PlacementExecutor, projectId: string, userId?: string) {
  let q = db
    .selectFrom('placement_allocations as a')
    .innerJoin('placement_consumers as c', 'c.uuid', 'a.consumer_id')
    .innerJoin('placement_projects as p', 'p.id', 'c.project_id')
    .innerJoin('placement_resource_classes as rc', 'rc.id', 'a.resource_class_id')
    .leftJoin('placement_consumer_types as ct', 'ct.id', 'c.consumer_type_id')
    .where('p.external_id', '=', projectId);
  if (userId !== undefined) {
    q = q
      .innerJoin('placement_users as u', 'u.id', 'c.user_id')
      .where('u.external_id', '=', userId);
  }
  return q;
}

/** GET /usages before 1.38: a project's (and optionally a user's) usage by class. */
export async function projectUsages(
  db: PlacementExecutor,
  projectId: string,
  userId?: string,
): Promise<Record<string, number>> {
  const rows = await projectAllocations(db, projectId, userId)
    .select((eb) => ['rc.name', eb.fn.sum<number>('a.used').as('used')])
    .groupBy(['a.resource_class_id', 'rc.name'])
    .orderBy('a.resource_class_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.used)]));
}

/**
 * GET /usages from 1.38: usage grouped by consumer type, each with its consumer count.
 * `all` groups everything under one key, `unknown` only consumers without a type; any other
 * type filters to that type (upstream).
 */
export async function projectUsagesByType(
  db: PlacementExecutor,
  projectId: string,
  userId?: string,
  consumerType?: string,
): Promise<Record<string, Record<string, number>>> {
  let q = projectAllocations(db, projectId, userId);
  if (consumerType === UNKNOWN_CONSUMER_TYPE) q = q.where('c.consumer_type_id', 'is', null);
  else if (consumerType !== undefined && consumerType !== 'all')
    q = q.where('ct.name', '=', consumerType);
  const rows = await q
    .select(['rc.name', 'ct.name as type', 'a.used', 'a.consumer_id', 'a.resource_class_id'])
    .orderBy('a.resource_class_id')
    .execute();
  const groupOf = (type: string | null) =>
    consumerType === 'all' || consumerType === UNKNOWN_CONSUMER_TYPE
      ? consumerType
      : (type ?? UNKNOWN_CONSUMER_TYPE);
  const usage = new Map<string, Map<string, number>>();
  const consumers = new Map<string, Set<string>>();
  for (const r of rows) {
    const g = groupOf(r.type);
    const m = usage.get(g) ?? new Map<string, number>();
    m.set(r.name, (m.get(r.name) ?? 0) + r.used);
    usage.set(g, m);
    const set = consumers.get(g) ?? new Set<string>();
    set.add(r.consumer_id);
    consumers.set(g, set);
  }
  const out: Record<string, Record<string, number>> = {};
  for (const [g, m] of usage) {
    out[g] = { ...Object.fromEntries(m), consumer_count: consumers.get(g)!.size };
  }
  return out;
}
