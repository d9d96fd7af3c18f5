import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../../common/clock.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../../common/errors.js';
import { fromDbBoolean, toDbBoolean } from '../../../platform/db/booleans.js';
import type { Database } from '../../../platform/db/database.js';
import { isUniqueViolation } from '../../../platform/db/db-errors.js';
import { now } from '../../../platform/db/timestamps.js';
import { withTransaction } from '../../../platform/db/with-transaction.js';
import type { ApiDatabase, FlavorsTable } from '../../api-db-tables.js';
import type {
  Flavor,
  FlavorFilters,
  FlavorPage,
  FlavorViewer,
  NewFlavor,
} from './flavor-record.js';
import { sortRows } from './sort-rows.js';

/** Column behind each flavor sort key upstream accepts. */
const SORT_COLUMNS: Record<string, keyof Flavor> = {
  created_at: 'createdAt',
  description: 'description',
  disabled: 'disabled',
  ephemeral_gb: 'ephemeralGb',
  flavorid: 'flavorid',
  id: 'id',
  is_public: 'isPublic',
  memory_mb: 'memoryMb',
  name: 'name',
  root_gb: 'rootGb',
  rxtx_factor: 'rxtxFactor',
  swap: 'swap',
  updated_at: 'updatedAt',
  vcpu_weight: 'vcpuWeight',
  vcpus: 'vcpus',
};

/** Upstream's FlavorNotFound. */
export function flavorNotFound(flavorid: string): NotFoundError {
  return new NotFoundError(`Flavor ${flavorid} could not be found.`, {
    code: 'compute.flavor_not_found',
  });
}

/** Flavors, their extra specs and their project access lists in the compute API database. */
export class FlavorStore {
  private readonly db: Kysely<ApiDatabase>;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.db = database.kysely as Kysely<ApiDatabase>;
  }

  /** Creates a flavor; a taken name or id is a 409 with upstream's message. */
  async create(f: NewFlavor): Promise<Flavor> {
    const ts = now(this.clock);
    try {
      await this.db
        .insertInto('flavors')
        .values({
          flavorid: f.flavorid,
          name: f.name,
          memory_mb: f.memoryMb,
          vcpus: f.vcpus,
          root_gb: f.rootGb,
          ephemeral_gb: f.ephemeralGb,
          swap: f.swap,
          rxtx_factor: f.rxtxFactor,
          vcpu_weight: null,
          disabled: toDbBoolean(false),
          is_public: toDbBoolean(f.isPublic),
          description: f.description,
          created_at: ts,
          updated_at: null,
        })
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const byId = await this.db
        .selectFrom('flavors')
        .select('id')
        .where('flavorid', '=', f.flavorid)
        .executeTakeFirst();
      throw new ConflictError(
        byId
          ? `Flavor with ID ${f.flavorid} already exists.`
          : `Flavor with name ${f.name} already exists.`,
        { code: 'compute.flavor_exists' },
      );
    }
    return this.get(f.flavorid, { isAdmin: true, projectId: null });
  }

  /** A flavor the viewer may see, by API id; 404 otherwise. */
  async get(flavorid: string, viewer: FlavorViewer): Promise<Flavor> {
    const row = await this.db
      .selectFrom('flavors')
      .selectAll()
      .where('flavorid', '=', flavorid)
      .executeTakeFirst();
    if (!row || !(await this.visible(row, viewer))) throw flavorNotFound(flavorid);
    return (await this.withSpecs([row]))[0]!;
  }

  /** Lists flavors the viewer may see, filtered, sorted (then by id) and paged after `marker`. */
  async list(viewer: FlavorViewer, filters: FlavorFilters, page: FlavorPage): Promise<Flavor[]> {
    let q = this.db.selectFrom('flavors').selectAll();
    if (filters.minMemoryMb !== undefined) q = q.where('memory_mb', '>=', filters.minMemoryMb);
    if (filters.minRootGb !== undefined) q = q.where('root_gb', '>=', filters.minRootGb);
    if (filters.disabled !== undefined) q = q.where('disabled', '=', toDbBoolean(filters.disabled));
    const rows = await q.execute();
    const shared = await this.sharedWith(viewer.projectId);
    const visible = rows.filter((r) => {
      const pub = fromDbBoolean(r.is_public);
      if (!viewer.isAdmin && !pub && !shared.has(r.id)) return false;
      if (filters.isPublic === true) return pub || shared.has(r.id);
      if (filters.isPublic === false) return !pub;
      return true;
    });
    const named = filters.nameRegex
      ? visible.filter((r) => filters.nameRegex!.test(r.name))
      : visible;
    const flavors = await this.withSpecs(named);
    const column = SORT_COLUMNS[page.sortKey] ?? 'flavorid';
    const sorted = sortRows(flavors, [column, 'id'], page.sortDir);
    let start = 0;
    if (page.marker !== undefined) {
      const i = sorted.findIndex((f) => f.flavorid === page.marker);
      if (i < 0) {
        throw new BadRequestError(`marker [${page.marker}] not found`, {
          code: 'compute.marker_not_found',
        });
      }
      start = i + 1;
    }
    return sorted.slice(start, start + page.limit);
  }

  /** Sets the description (2.55); 404 when the flavor does not exist. */
  async setDescription(flavorid: string, description: string | null): Promise<Flavor> {
    const r = await this.db
      .updateTable('flavors')
      .set({ description, updated_at: now(this.clock) })
      .where('flavorid', '=', flavorid)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw flavorNotFound(flavorid);
    return this.get(flavorid, { isAdmin: true, projectId: null });
  }

  /** Deletes a flavor with its extra specs and access list; 404 when it does not exist. */
  async delete(flavorid: string): Promise<void> {
    await withTransaction(this.database, async (trx) => {
      const db = trx as unknown as Kysely<ApiDatabase>;
      const row = await db
        .selectFrom('flavors')
        .select('id')
        .where('flavorid', '=', flavorid)
        .executeTakeFirst();
      if (!row) throw flavorNotFound(flavorid);
      await db.deleteFrom('flavor_extra_specs').where('flavor_id', '=', row.id).execute();
      await db.deleteFrom('flavor_projects').where('flavor_id', '=', row.id).execute();
      await db.deleteFrom('flavors').where('id', '=', row.id).execute();
    });
  }

  /** Adds or replaces extra specs of a flavor, atomically. */
  async setExtraSpecs(flavor: Flavor, specs: Record<string, string>): Promise<void> {
    const ts = now(this.clock);
    await withTransaction(this.database, async (trx) => {
      const db = trx as unknown as Kysely<ApiDatabase>;
      for (const [key, value] of Object.entries(specs)) {
        await db
          .insertInto('flavor_extra_specs')
          .values({ flavor_id: flavor.id, key, value, created_at: ts, updated_at: null })
          .onConflict((oc) =>
            oc.columns(['flavor_id', 'key']).doUpdateSet({ value, updated_at: ts }),
          )
          .execute();
      }
    });
  }

  /** Removes one extra spec; false when the flavor had no such key. */
  async deleteExtraSpec(flavor: Flavor, key: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('flavor_extra_specs')
      .where('flavor_id', '=', flavor.id)
      .where('key', '=', key)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The projects a flavor is shared with, in the order access was given. */
  async accessList(flavor: Flavor): Promise<string[]> {
    const rows = await this.db
      .selectFrom('flavor_projects')
      .select('project_id')
      .where('flavor_id', '=', flavor.id)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.project_id);
  }

  /** Shares a flavor with a project; false when it already was. */
  async addAccess(flavor: Flavor, projectId: string): Promise<boolean> {
    try {
      await this.db
        .insertInto('flavor_projects')
        .values({
          flavor_id: flavor.id,
          project_id: projectId,
          created_at: now(this.clock),
          updated_at: null,
        })
        .execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Stops sharing a flavor with a project; false when it was not shared. */
  async removeAccess(flavor: Flavor, projectId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('flavor_projects')
      .where('flavor_id', '=', flavor.id)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  private async sharedWith(projectId: string | null): Promise<Set<number>> {
    if (projectId === null) return new Set();
    const rows = await this.db
      .selectFrom('flavor_projects')
      .select('flavor_id')
      .where('project_id', '=', projectId)
      .execute();
    return new Set(rows.map((r) => r.flavor_id));
  }

  private async visible(row: Selectable<FlavorsTable>, viewer: FlavorViewer): Promise<boolean> {
    if (viewer.isAdmin || fromDbBoolean(row.is_public)) return true;
    return (await this.sharedWith(viewer.projectId)).has(row.id);
  }

  private async withSpecs(rows: Selectable<FlavorsTable>[]): Promise<Flavor[]> {
    if (rows.length === 0) return [];
    const specs = await this.db
      .selectFrom('flavor_extra_specs')
      .select(['flavor_id', 'key', 'value'])
      .where(
        'flavor_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('key')
      .execute();
    const byFlavor = new Map<number, Record<string, string>>();
    for (const s of specs)
      (byFlavor.get(s.flavor_id) ?? byFlavor.set(s.flavor_id, {}).get(s.flavor_id)!)[s.key] =
        s.value;
    return rows.map((r) => ({
      id: r.id,
      flavorid: r.flavorid,
      name: r.name,
      memoryMb: r.memory_mb,
      vcpus: r.vcpus,
      rootGb: r.root_gb,
      ephemeralGb: r.ephemeral_gb,
      swap: r.swap,
      rxtxFactor: Number(r.rxtx_factor),
      vcpuWeight: r.vcpu_weight,
      disabled: fromDbBoolean(r.disabled),
      isPublic: fromDbBoolean(r.is_public),
      description: r.description,
      extraSpecs: byFlavor.get(r.id) ?? {},
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}
