import type { Clock } from '../../common/clock.js';
import { now } from '../../platform/db/timestamps.js';
import type { PlacementExecutor, PlacementTrx } from '../db/tables.js';
import { ConcurrentUpdateError } from '../placement-errors.js';

/** A resource provider with its tree links resolved to UUIDs. */
export interface ProviderRecord {
  id: number;
  uuid: string;
  name: string;
  generation: number;
  rootId: number;
  rootUuid: string;
  parentId: number | null;
  parentUuid: string | null;
  createdAt: string;
  updatedAt: string | null;
}

/** Why a provider create or update was refused (upstream's ObjectActionError). */
export class ProviderActionError extends Error {
  constructor(
    readonly action: 'create' | 'update',
    readonly reason: string,
  ) {
    super(`Object action ${action} failed because: ${reason}`);
    this.name = 'ProviderActionError';
  }
}

/** A provider row joined to its root and parent, selectable with extra filters. */
export function providerQuery(db: PlacementExecutor) {
  return db
    .selectFrom('placement_resource_providers as rp')
    .innerJoin('placement_resource_providers as root', 'root.id', 'rp.root_provider_id')
    .leftJoin('placement_resource_providers as parent', 'parent.id', 'rp.parent_provider_id')
    .select([
      'rp.id',
      'rp.uuid',
      'rp.name',
      'rp.generation',
      'rp.root_provider_id as root_id',
      'root.uuid as root_uuid',
      'rp.parent_provider_id as parent_id',
      'parent.uuid as parent_uuid',
      'rp.created_at',
      'rp.updated_at',
    ]);
}

/** Converts a providerQuery row. */
export function toProviderRecord(r: {
  id: number;
  uuid: string;
  name: string;
  generation: number;
  root_id: number | null;
  root_uuid: string;
  parent_id: number | null;
  parent_uuid: string | null;
  created_at: string;
  updated_at: string | null;
}): ProviderRecord {
  return {
    id: r.id,
    uuid: r.uuid,
    name: r.name,
    generation: r.generation,
    rootId: r.root_id ?? r.id,
    rootUuid: r.root_uuid,
    parentId: r.parent_id,
    parentUuid: r.parent_uuid,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The provider with this UUID, if any. */
export async function getProvider(
  db: PlacementExecutor,
  uuid: string,
): Promise<ProviderRecord | undefined> {
  const row = await providerQuery(db).where('rp.uuid', '=', uuid).executeTakeFirst();
  return row ? toProviderRecord(row) : undefined;
}

/** Providers by UUID (those that exist). */
export async function getProviders(
  db: PlacementExecutor,
  uuids: Iterable<string>,
): Promise<Map<string, ProviderRecord>> {
  const list = [...new Set(uuids)];
  if (list.length === 0) return new Map();
  const rows = await providerQuery(db).where('rp.uuid', 'in', list).execute();
  return new Map(rows.map((r) => [r.uuid, toProviderRecord(r)]));
}

/** Which of a would-be provider's unique fields (uuid, then name) are already taken. */
export async function duplicateProviderFields(
  db: PlacementExecutor,
  uuid: string,
  name: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('placement_resource_providers')
    .select(['uuid', 'name'])
    .where((eb) => eb.or([eb('uuid', '=', uuid), eb('name', '=', name)]))
    .execute();
  const out: string[] = [];
  if (rows.some((r) => r.uuid === uuid)) out.push(`uuid: ${uuid}`);
  if (rows.some((r) => r.name === name)) out.push(`name: ${name}`);
  return out;
}

/** Creates a provider, a root or the child of `parentUuid`. */
export async function createProvider(
  trx: PlacementTrx,
  input: { uuid: string; name: string; parentUuid: string | null },
  clock: Clock,
): Promise<ProviderRecord> {
  let parent: ProviderRecord | undefined;
  if (input.parentUuid !== null) {
    if (input.parentUuid === input.uuid) {
      throw new ProviderActionError(
        'create',
        'parent provider UUID cannot be same as UUID. Please set parent provider UUID to None ' +
          'if there is no parent.',
      );
    }
    parent = await getProvider(trx, input.parentUuid);
    if (!parent) throw new ProviderActionError('create', 'parent provider UUID does not exist.');
  }
  const ts = now(clock);
  const inserted = await trx
    .insertInto('placement_resource_providers')
    .values({
      uuid: input.uuid,
      name: input.name,
      generation: 0,
      root_provider_id: parent ? parent.rootId : null,
      parent_provider_id: parent ? parent.id : null,
      created_at: ts,
      updated_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (!parent) {
    await trx
      .updateTable('placement_resource_providers')
      .set({ root_provider_id: inserted.id })
      .where('id', '=', inserted.id)
      .execute();
  }
  return {
    id: inserted.id,
    uuid: input.uuid,
    name: input.name,
    generation: 0,
    rootId: parent ? parent.rootId : inserted.id,
    rootUuid: parent ? parent.rootUuid : input.uuid,
    parentId: parent ? parent.id : null,
    parentUuid: parent ? parent.uuid : null,
    createdAt: ts,
    updatedAt: null,
  };
}

/** Ids of `provider` and every provider below it. */
export async function subtreeIds(
  db: PlacementExecutor,
  provider: ProviderRecord,
): Promise<number[]> {
  const sameTree = await db
    .selectFrom('placement_resource_providers')
    .select(['id', 'parent_provider_id'])
    .where('root_provider_id', '=', provider.rootId)
    .execute();
  const children = new Map<number, number[]>();
  for (const r of sameTree) {
    if (r.parent_provider_id === null) continue;
    const list = children.get(r.parent_provider_id) ?? [];
    list.push(r.id);
    children.set(r.parent_provider_id, list);
  }
  const out: number[] = [];
  const stack = [provider.id];
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/**
 * Updates a provider's name and, when `parentUuid` is given, its parent. Before microversion
 * 1.37 a provider may only gain a parent; from 1.37 it may move anywhere outside its own subtree
 * or become a root, and its whole subtree follows to the new root. Returns the ids whose tree
 * changed (for the change log).
 */
export async function updateProvider(
  trx: PlacementTrx,
  provider: ProviderRecord,
  input: { name: string; parentUuid?: string | null },
  allowReparenting: boolean,
  clock: Clock,
): Promise<{ record: ProviderRecord; moved: number[] }> {
  let parentId = provider.parentId;
  let parentUuid = provider.parentUuid;
  let rootId = provider.rootId;
  let rootUuid = provider.rootUuid;
  let moved: number[] = [];
  if (input.parentUuid !== undefined && input.parentUuid !== provider.parentUuid) {
    if (input.parentUuid !== null) {
      const parent = await getProvider(trx, input.parentUuid);
      // Upstream reports this as a failed 'create' action, even on update.
      if (!parent) throw new ProviderActionError('create', 'parent provider UUID does not exist.');
      if (provider.parentId !== null && !allowReparenting) {
        throw new ProviderActionError(
          'update',
          're-parenting a provider is not currently allowed.',
        );
      }
      const subtree = await subtreeIds(trx, provider);
      if (subtree.includes(parent.id)) {
        throw new ProviderActionError(
          'update',
          'creating loop in the provider tree is not allowed.',
        );
      }
      moved = subtree;
      parentId = parent.id;
      parentUuid = parent.uuid;
      rootId = parent.rootId;
      rootUuid = parent.rootUuid;
    } else {
      if (!allowReparenting) {
        throw new ProviderActionError(
          'update',
          'un-parenting a provider is not currently allowed.',
        );
      }
      moved = await subtreeIds(trx, provider);
      parentId = null;
      parentUuid = null;
      rootId = provider.id;
      rootUuid = provider.uuid;
    }
  }
  const ts = now(clock);
  await trx
    .updateTable('placement_resource_providers')
    .set({
      name: input.name,
      parent_provider_id: parentId,
      root_provider_id: rootId,
      updated_at: ts,
    })
    .where('id', '=', provider.id)
    .execute();
  if (moved.length > 1) {
    await trx
      .updateTable('placement_resource_providers')
      .set({ root_provider_id: rootId })
      .where('id', 'in', moved)
      .execute();
  }
  return {
    record: {
      ...provider,
      name: input.name,
      parentId,
      parentUuid,
      rootId,
      rootUuid,
      updatedAt: ts,
    },
    moved,
  };
}

/** Outcome of deleteProvider. */
export type DeleteProviderResult = 'deleted' | 'has_children' | 'in_use' | 'not_found';

/** Deletes a provider with its inventories, traits and aggregate links. */
export async function deleteProvider(trx: PlacementTrx, id: number): Promise<DeleteProviderResult> {
  const child = await trx
    .selectFrom('placement_resource_providers')
    .select('id')
    .where('parent_provider_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (child) return 'has_children';
  const alloc = await trx
    .selectFrom('placement_allocations')
    .select('id')
    .where('resource_provider_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (alloc) return 'in_use';
  await trx.deleteFrom('placement_inventories').where('resource_provider_id', '=', id).execute();
  await trx
    .deleteFrom('placement_provider_aggregates')
    .where('resource_provider_id', '=', id)
    .execute();
  await trx
    .deleteFrom('placement_provider_traits')
    .where('resource_provider_id', '=', id)
    .execute();
  // A root references itself; clear that so the row can go.
  await trx
    .updateTable('placement_resource_providers')
    .set({ root_provider_id: null })
    .where('id', '=', id)
    .execute();
  const res = await trx.deleteFrom('placement_resource_providers').where('id', '=', id).execute();
  return Number(res[0]?.numDeletedRows ?? 0) > 0 ? 'deleted' : 'not_found';
}

/**
 * Moves a provider's generation from `expected` to `expected + 1`; throws ConcurrentUpdateError
 * when it was not `expected` any more (someone else changed the provider).
 */
export async function bumpGeneration(
  trx: PlacementTrx,
  id: number,
  expected: number,
  clock?: Clock,
): Promise<number> {
  const res = await trx
    .updateTable('placement_resource_providers')
    .set({ generation: expected + 1, ...(clock ? { updated_at: now(clock) } : {}) })
    .where('id', '=', id)
    .where('generation', '=', expected)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) {
    throw new ConcurrentUpdateError(
      'Another thread concurrently updated the resource provider data. Please retry your update',
    );
  }
  return expected + 1;
}
