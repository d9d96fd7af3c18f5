import { isUniqueViolation } from '../../platform/db/db-errors.js';
import type { PlacementTrx } from '../db/tables.js';
import { ConcurrentUpdateError } from '../placement-errors.js';
import {
  deleteAllocationsOf,
  insertAllocations,
  inventoryLimits,
  lockProviders,
  usageOf,
  type NewAllocation,
} from '../store/allocations.js';
import { recordChange } from '../store/change-log.js';
import {
  bumpConsumerGeneration,
  createConsumer,
  deleteConsumersWithoutAllocations,
  ensureConsumerType,
  ensureProject,
  ensureUser,
  getConsumer,
  updateConsumerOwner,
} from '../store/consumers.js';
import { getProviders } from '../store/providers.js';
import { resourceClassIds } from '../store/resource-classes.js';
import { capacityViolation, type CheckedAllocation } from './allocation-capacity.js';
import { write, type PlacementDeps } from './placement-deps.js';

/** The allocations one consumer should have after a write (empty: none). */
export interface ConsumerAllocations {
  consumerUuid: string;
  projectId: string;
  userId: string;
  /** The generation the caller believes the consumer has (null: it should not exist). */
  generation?: number | null;
  /** The consumer's type (1.38+); undefined keeps the type it has. */
  consumerType?: string;
  /** Provider UUID → resource class → amount. */
  allocations: Map<string, Map<string, number>>;
}

/** Why an allocation write failed; each API maps it to its own wording. */
export class AllocationWriteError extends Error {
  constructor(
    readonly kind:
      | 'missing_provider'
      | 'unknown_class'
      | 'invalid_inventory'
      | 'consumer_conflict'
      | 'concurrent',
    message: string,
  ) {
    super(message);
    this.name = 'AllocationWriteError';
  }
}

/** Options of writeAllocations. */
export interface WriteAllocationsOptions {
  /** 1.28+: compare each consumer's generation with the caller's. */
  checkGenerations: boolean;
  /** More providers to lock with the allocations' ones (the reshaper's inventory providers). */
  alsoLock?: number[];
  /** Runs in the transaction before the allocations (after the locks); returns providers changed. */
  beforeAllocations?: (trx: PlacementTrx) => Promise<number[]>;
  /** Runs in the transaction after the allocations; returns providers changed. */
  afterAllocations?: (trx: PlacementTrx) => Promise<number[]>;
  /** Called after the providers' generations were read (tests use it to force races). */
  afterSnapshot?: () => Promise<void>;
}

class ProviderMoved extends Error {}

async function checkConsumerGeneration(
  deps: PlacementDeps,
  c: ConsumerAllocations,
  db: Parameters<typeof getConsumer>[0] = deps.database.kysely,
) {
  const existing = await getConsumer(db, c.consumerUuid);
  if (existing && existing.generation !== c.generation) {
    throw new AllocationWriteError(
      'consumer_conflict',
      `consumer generation conflict - expected ${existing.generation} but got ${c.generation ?? null}`,
    );
  }
  if (!existing && c.generation !== null && c.generation !== undefined) {
    throw new AllocationWriteError(
      'consumer_conflict',
      `consumer generation conflict - expected null but got ${c.generation}`,
    );
  }
  return existing;
}

/**
 * Replaces the allocations of every consumer given, atomically: upstream's replace_all. The
 * providers' generations are read first; the transaction locks those providers, and if any of
 * them moved since (another writer got there first) the whole write is tried again, up to
 * `[placement] allocation_conflict_retry_count` times. Capacity is always checked inside the
 * transaction against the database, never against a cache. A write that finds the capacity
 * gone only after such a conflict lost a race and is reported as a concurrent update.
 */
export async function writeAllocations(
  deps: PlacementDeps,
  consumers: ConsumerAllocations[],
  opts: WriteAllocationsOptions,
): Promise<void> {
  const db = deps.database.kysely;
  if (opts.checkGenerations) for (const c of consumers) await checkConsumerGeneration(deps, c);
  const rpUuids = new Set(consumers.flatMap((c) => [...c.allocations.keys()]));
  const classNames = new Set(
    consumers.flatMap((c) => [...c.allocations.values()].flatMap((m) => [...m.keys()])),
  );
  let sawConflict = false;
  for (let attempt = 0; attempt < deps.config.allocation_conflict_retry_count; attempt++) {
    const snapshot = await getProviders(db, rpUuids);
    const missing = [...rpUuids].find((u) => !snapshot.has(u));
    if (missing !== undefined) {
      throw new AllocationWriteError(
        'missing_provider',
        `Allocation for resource provider '${missing}' that does not exist.`,
      );
    }
    await opts.afterSnapshot?.();
    try {
      await write(deps, (trx) =>
        writeInTransaction(deps, trx, consumers, snapshot, classNames, opts, sawConflict),
      );
      return;
    } catch (err) {
      if (err instanceof ProviderMoved) {
        sawConflict = true;
        continue;
      }
      if (err instanceof ConcurrentUpdateError) {
        throw new AllocationWriteError('concurrent', err.message);
      }
      // Another request created one of these consumers in the meantime.
      if (isUniqueViolation(err)) {
        throw new AllocationWriteError(
          'consumer_conflict',
          'consumer generation conflict - another request created the consumer concurrently',
        );
      }
      throw err;
    }
  }
  deps.logger.warn(
    { retries: deps.config.allocation_conflict_retry_count },
    'exceeded retry limit on allocations write',
  );
  throw new AllocationWriteError(
    'concurrent',
    'Another thread concurrently updated the resource provider data. Please retry your update',
  );
}

async function writeInTransaction(
  deps: PlacementDeps,
  trx: PlacementTrx,
  consumers: ConsumerAllocations[],
  snapshot: Map<string, { id: number; uuid: string; generation: number }>,
  classNames: Set<string>,
  opts: WriteAllocationsOptions,
  sawConflict: boolean,
): Promise<void> {
  const clock = deps.clock;
  // Providers losing all of a consumer's allocations are part of the write too (upstream
  // writes them as zero-amount allocations).
  const emptied = consumers.filter((c) => c.allocations.size === 0).map((c) => c.consumerUuid);
  const emptiedRows =
    emptied.length === 0
      ? []
      : await trx
          .selectFrom('placement_allocations as a')
          .innerJoin('placement_resource_providers as rp', 'rp.id', 'a.resource_provider_id')
          .innerJoin('placement_resource_classes as rc', 'rc.id', 'a.resource_class_id')
          .select([
            'a.consumer_id',
            'a.resource_class_id',
            'rc.name as rc_name',
            'rp.id',
            'rp.uuid',
            'rp.generation',
          ])
          .where('a.consumer_id', 'in', emptied)
          .execute();
  const expected = new Map<number, number>();
  for (const rp of snapshot.values()) expected.set(rp.id, rp.generation);
  for (const r of emptiedRows) if (!expected.has(r.id)) expected.set(r.id, r.generation);
  const locked = await lockProviders(trx, deps.database.dialect, [
    ...new Set([...expected.keys(), ...(opts.alsoLock ?? [])]),
  ]);
  for (const [id, gen] of expected) if (locked.get(id) !== gen) throw new ProviderMoved();
  const touched = (await opts.beforeAllocations?.(trx)) ?? [];
  if (touched.length > 0) {
    // The hook moved some generations on (the reshaper's interim inventories).
    const now = await lockProviders(trx, deps.database.dialect, [...expected.keys()]);
    for (const id of expected.keys()) expected.set(id, now.get(id)!);
  }

  const rcIds = await resourceClassIds(trx, classNames);
  const unknown = [...classNames].find((n) => !rcIds.has(n));
  if (unknown !== undefined) {
    throw new AllocationWriteError('unknown_class', `No such resource class ${unknown}.`);
  }

  const consumerRows = new Map<string, { id: number; generation: number }>();
  for (const c of consumers) {
    const existing = opts.checkGenerations
      ? await checkConsumerGeneration(deps, c, trx)
      : await getConsumer(trx, c.consumerUuid);
    const projectId = await ensureProject(trx, c.projectId, clock);
    const userId = await ensureUser(trx, c.userId, clock);
    const typeId =
      c.consumerType === undefined
        ? undefined
        : await ensureConsumerType(trx, c.consumerType, clock);
    if (!existing) {
      const id = await createConsumer(
        trx,
        { uuid: c.consumerUuid, projectId, userId, consumerTypeId: typeId ?? null },
        clock,
      );
      consumerRows.set(c.consumerUuid, { id, generation: 0 });
      continue;
    }
    const consumerTypeId = typeId ?? existing.consumerTypeId;
    if (
      existing.projectId !== projectId ||
      existing.userId !== userId ||
      existing.consumerTypeId !== consumerTypeId
    ) {
      await updateConsumerOwner(trx, existing.id, { projectId, userId, consumerTypeId }, clock);
    }
    consumerRows.set(c.consumerUuid, { id: existing.id, generation: existing.generation });
  }

  const checked: CheckedAllocation[] = [];
  const inserts: NewAllocation[] = [];
  for (const r of emptiedRows) {
    checked.push({
      providerId: r.id,
      providerUuid: r.uuid,
      resourceClassId: r.resource_class_id,
      resourceClass: r.rc_name,
      used: 0,
    });
  }
  for (const c of consumers) {
    for (const [rpUuid, resources] of c.allocations) {
      const rp = snapshot.get(rpUuid)!;
      for (const [rc, used] of resources) {
        const rcId = rcIds.get(rc)!;
        checked.push({
          providerId: rp.id,
          providerUuid: rp.uuid,
          resourceClassId: rcId,
          resourceClass: rc,
          used,
        });
        inserts.push({
          providerId: rp.id,
          consumerUuid: c.consumerUuid,
          resourceClassId: rcId,
          used,
        });
      }
    }
  }
  const providerIds = [...expected.keys()];
  const classIds = [...new Set(checked.map((a) => a.resourceClassId))];
  const usageBefore = await usageOf(trx, providerIds, classIds);
  const previouslyUsed = await deleteAllocationsOf(
    trx,
    consumers.map((c) => c.consumerUuid),
  );
  const usage = await usageOf(trx, providerIds, classIds);
  const limits = await inventoryLimits(trx, providerIds, classIds);
  const problem = capacityViolation(checked, limits, usage, usageBefore);
  if (problem !== null) {
    // The capacity was there when this request looked; a concurrent writer took it.
    if (sawConflict) throw new ConcurrentUpdateError(problem);
    throw new AllocationWriteError('invalid_inventory', problem);
  }
  await insertAllocations(trx, inserts, clock);
  for (const [id, gen] of expected) {
    await trx
      .updateTable('placement_resource_providers')
      .set({ generation: gen + 1 })
      .where('id', '=', id)
      .execute();
  }
  for (const { id, generation } of consumerRows.values()) {
    await bumpConsumerGeneration(trx, id, generation, clock);
  }
  await deleteConsumersWithoutAllocations(
    trx,
    consumers.map((c) => c.consumerUuid),
  );
  const after = (await opts.afterAllocations?.(trx)) ?? [];
  await recordChange(trx, [...providerIds, ...previouslyUsed, ...touched, ...after]);
}
