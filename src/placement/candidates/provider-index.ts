/** One inventory as the engine needs it, with the provider's current usage of it. */
export interface IndexedInventory {
  total: number;
  reserved: number;
  minUnit: number;
  maxUnit: number;
  stepSize: number;
  ratio: number;
  used: number;
}

/** One provider in the index. */
export interface IndexedProvider {
  id: number;
  uuid: string;
  parentId: number | null;
  rootId: number;
  traits: Set<number>;
  aggregates: Set<string>;
  inventories: Map<number, IndexedInventory>;
}

/** What a provider row, with its inventories, traits and aggregates, looks like when loaded. */
export interface ProviderSnapshot {
  id: number;
  uuid: string;
  parentId: number | null;
  rootId: number;
  traits: number[];
  aggregates: string[];
  inventories: [number, IndexedInventory][];
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/**
 * Everything allocation candidates are computed from, in memory and indexed: providers and
 * their trees, inventories with usage, and the sets of providers by resource class, trait and
 * aggregate, so that a request starts from the smallest matching set instead of scanning rows.
 * It is a cache of the database, kept current through the change log (index-sync.ts); writes
 * never rely on it.
 */
export class ProviderIndex {
  /** Providers by internal id. */
  readonly providers = new Map<number, IndexedProvider>();
  /** Provider ids by UUID. */
  readonly byUuid = new Map<string, number>();
  /** Child ids by parent id. */
  readonly children = new Map<number, Set<number>>();
  /** Providers having inventory of a class, by class id. */
  readonly byResourceClass = new Map<number, Set<number>>();
  /** Providers having a trait, by trait id. */
  readonly byTrait = new Map<number, Set<number>>();
  /** Providers in an aggregate, by aggregate UUID. */
  readonly byAggregate = new Map<string, Set<number>>();
  /** Resource class ids by name, and names by id. */
  readonly classIds = new Map<string, number>();
  readonly classNames = new Map<number, string>();
  /** Trait ids by name, and names by id. */
  readonly traitIds = new Map<string, number>();
  readonly traitNames = new Map<number, string>();
  /** Providers that have a parent (any: the deployment has trees). */
  private nestedCount = 0;

  /** True when some provider has a parent. */
  get hasTrees(): boolean {
    return this.nestedCount > 0;
  }

  /** Replaces the resource class and trait name maps. */
  setCatalog(classes: [number, string][], traits: [number, string][]): void {
    this.classIds.clear();
    this.classNames.clear();
    for (const [id, name] of classes) {
      this.classIds.set(name, id);
      this.classNames.set(id, name);
    }
    this.traitIds.clear();
    this.traitNames.clear();
    for (const [id, name] of traits) {
      this.traitIds.set(name, id);
      this.traitNames.set(id, name);
    }
  }

  /** Removes a provider (deleted, or about to be replaced by a fresh copy). */
  remove(id: number): void {
    const p = this.providers.get(id);
    if (!p) return;
    this.providers.delete(id);
    this.byUuid.delete(p.uuid);
    if (p.parentId !== null) {
      removeFrom(this.children, p.parentId, id);
      this.nestedCount -= 1;
    }
    for (const rc of p.inventories.keys()) removeFrom(this.byResourceClass, rc, id);
    for (const t of p.traits) removeFrom(this.byTrait, t, id);
    for (const a of p.aggregates) removeFrom(this.byAggregate, a, id);
  }

  /**
   * Adds or replaces a provider. Set memberships that do not change keep their place, so the
   * order in which the engine walks providers stays stable across refreshes.
   */
  put(s: ProviderSnapshot): void {
    const old = this.providers.get(s.id);
    if (old && (old.uuid !== s.uuid || old.parentId !== s.parentId)) {
      this.remove(s.id);
      return this.put(s);
    }
    const p: IndexedProvider = {
      id: s.id,
      uuid: s.uuid,
      parentId: s.parentId,
      rootId: s.rootId,
      traits: new Set(s.traits),
      aggregates: new Set(s.aggregates),
      inventories: new Map(s.inventories),
    };
    this.providers.set(p.id, p);
    if (!old) {
      this.byUuid.set(p.uuid, p.id);
      if (p.parentId !== null) {
        addTo(this.children, p.parentId, p.id);
        this.nestedCount += 1;
      }
    }
    const sync = <K>(
      index: Map<K, Set<number>>,
      before: Iterable<K>,
      after: Set<K> | Map<K, unknown>,
    ) => {
      for (const k of before) if (!after.has(k)) removeFrom(index, k, p.id);
      for (const k of after.keys()) addTo(index, k, p.id);
    };
    sync(this.byResourceClass, old?.inventories.keys() ?? [], p.inventories);
    sync(this.byTrait, old?.traits ?? [], p.traits);
    sync(this.byAggregate, old?.aggregates ?? [], p.aggregates);
  }

  /** Drops every provider (before a full reload). */
  clear(): void {
    for (const m of [this.providers, this.byUuid, this.children, this.byResourceClass]) m.clear();
    this.byTrait.clear();
    this.byAggregate.clear();
    this.nestedCount = 0;
  }

  /** Ids of every provider in the tree rooted at `rootId`, the root first. */
  tree(rootId: number): number[] {
    const out: number[] = [];
    const stack = [rootId];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (!this.providers.has(id)) continue;
      out.push(id);
      for (const c of this.children.get(id) ?? []) stack.push(c);
    }
    return out;
  }
}
