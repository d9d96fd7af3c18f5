import type { PlacementExecutor } from '../db/tables.js';
import { readChangeVersion, readChangesSince } from '../store/change-log.js';
import { ProviderIndex, type IndexedInventory, type ProviderSnapshot } from './provider-index.js';

const CHUNK = 500;

async function loadCatalog(db: PlacementExecutor, index: ProviderIndex): Promise<void> {
  const classes = await db
    .selectFrom('placement_resource_classes')
    .select(['id', 'name'])
    .execute();
  const traits = await db.selectFrom('placement_traits').select(['id', 'name']).execute();
  index.setCatalog(
    classes.map((r) => [r.id, r.name]),
    traits.map((r) => [r.id, r.name]),
  );
}

/** Loads providers (all of them when `ids` is undefined) with everything the engine needs. */
async function loadProviders(db: PlacementExecutor, ids?: number[]): Promise<ProviderSnapshot[]> {
  const rows = await (
    ids
      ? db.selectFrom('placement_resource_providers').where('id', 'in', ids)
      : db.selectFrom('placement_resource_providers')
  )
    .select(['id', 'uuid', 'parent_provider_id', 'root_provider_id'])
    .execute();
  const snaps = new Map<number, ProviderSnapshot>();
  for (const r of rows) {
    snaps.set(r.id, {
      id: r.id,
      uuid: r.uuid,
      parentId: r.parent_provider_id,
      rootId: r.root_provider_id ?? r.id,
      traits: [],
      aggregates: [],
      inventories: [],
    });
  }
  const scope = <Q extends { where: (...a: any[]) => Q }>(q: Q, column: string): Q =>
    ids ? q.where(column, 'in', ids) : q;
  const inventories = await scope(
    db
      .selectFrom('placement_inventories')
      .select([
        'resource_provider_id',
        'resource_class_id',
        'total',
        'reserved',
        'min_unit',
        'max_unit',
        'step_size',
        'allocation_ratio',
      ]),
    'resource_provider_id',
  ).execute();
  const usage = await scope(
    db
      .selectFrom('placement_allocations')
      .select((eb) => [
        'resource_provider_id',
        'resource_class_id',
        eb.fn.sum<number>('used').as('used'),
      ])
      .groupBy(['resource_provider_id', 'resource_class_id']),
    'resource_provider_id',
  ).execute();
  const used = new Map(
    usage.map((u) => [`${u.resource_provider_id}:${u.resource_class_id}`, Number(u.used)]),
  );
  for (const i of inventories) {
    const inv: IndexedInventory = {
      total: i.total,
      reserved: i.reserved,
      minUnit: i.min_unit,
      maxUnit: i.max_unit,
      stepSize: i.step_size,
      ratio: Number(i.allocation_ratio),
      used: used.get(`${i.resource_provider_id}:${i.resource_class_id}`) ?? 0,
    };
    snaps.get(i.resource_provider_id)?.inventories.push([i.resource_class_id, inv]);
  }
  const traits = await scope(
    db.selectFrom('placement_provider_traits').select(['resource_provider_id', 'trait_id']),
    'resource_provider_id',
  ).execute();
  for (const t of traits) snaps.get(t.resource_provider_id)?.traits.push(t.trait_id);
  const aggregates = await scope(
    db
      .selectFrom('placement_provider_aggregates as pa')
      .innerJoin('placement_aggregates as a', 'a.id', 'pa.aggregate_id')
      .select(['pa.resource_provider_id', 'a.uuid']),
    'pa.resource_provider_id',
  ).execute();
  for (const a of aggregates) snaps.get(a.resource_provider_id)?.aggregates.push(a.uuid);
  return [...snaps.values()];
}

/**
 * Keeps a ProviderIndex current with the database. Before each use, one cheap read of the
 * change-log version tells whether anything changed (in this process or in another replica);
 * if so, only the providers the log names are reloaded, or everything when this replica fell
 * behind the log's retention.
 */
export class IndexSync {
  readonly index = new ProviderIndex();
  private version = -1;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly db: () => PlacementExecutor) {}

  /** Brings the index up to the database's current version. */
  async ensureFresh(): Promise<ProviderIndex> {
    for (;;) {
      if (this.refreshing) {
        await this.refreshing;
        continue;
      }
      const { version, prunedThrough } = await readChangeVersion(this.db());
      if (version === this.version) return this.index;
      if (this.refreshing) continue;
      this.refreshing = this.refresh(version, prunedThrough).finally(() => {
        this.refreshing = undefined;
      });
    }
  }

  private async refresh(version: number, prunedThrough: number): Promise<void> {
    const db = this.db();
    if (this.version < 0 || this.version < prunedThrough) {
      await loadCatalog(db, this.index);
      const all = await loadProviders(db);
      this.index.clear();
      for (const s of all) this.index.put(s);
      this.version = version;
      return;
    }
    const changes = await readChangesSince(db, this.version);
    if (changes.catalog) await loadCatalog(db, this.index);
    const ids = [...changes.providerIds];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const fresh = await loadProviders(db, chunk);
      const found = new Set(fresh.map((s) => s.id));
      for (const id of chunk) if (!found.has(id)) this.index.remove(id);
      for (const s of fresh) this.index.put(s);
    }
    // Changes newer than `version` may have been applied too; applying them again is harmless.
    this.version = version;
  }
}
