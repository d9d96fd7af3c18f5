import type { Kysely, Selectable } from 'kysely';
import { BadRequestError } from '../../../common/errors.js';
import type { Database } from '../../../platform/db/database.js';
import { toDbTimestamp } from '../../../platform/db/timestamps.js';
import type { CellDatabase, ComputeNodesTable } from '../../db/cell-tables.js';

/** A compute node row. */
export type ComputeNode = Selectable<ComputeNodesTable>;

/** A server on a host, as os-hypervisors lists it. */
export interface HostedServer {
  name: string;
  uuid: string;
}

/**
 * What the compute API reads from the cell database about hosts: compute nodes (which the
 * agents write) and the servers on them; and the one write it makes there, retiring a deleted
 * compute service's nodes.
 */
export class CellRecords {
  private readonly db: Kysely<CellDatabase>;

  constructor(
    /** The cell database, for readers of other tables (usage). */
    readonly database: Database,
  ) {
    this.db = database.kysely as Kysely<CellDatabase>;
  }

  /** Live nodes by id, after `marker` (a node id, or uuid from 2.53), at most `limit`. */
  async page(limit: number | undefined, marker: string | undefined): Promise<ComputeNode[]> {
    let q = this.db.selectFrom('compute_nodes').selectAll().where('deleted', '=', 0).orderBy('id');
    if (marker !== undefined) {
      const m = await this.find(marker);
      if (!m)
        throw new BadRequestError(`marker [${marker}] not found`, {
          code: 'compute.marker_not_found',
        });
      q = q.where('id', '>', m.id);
    }
    if (limit !== undefined) q = q.limit(limit);
    return q.execute();
  }

  /** A live node by integer id or uuid. */
  async find(id: string): Promise<ComputeNode | undefined> {
    const byUuid = !/^\d+$/.test(id);
    return this.db
      .selectFrom('compute_nodes')
      .selectAll()
      .where('deleted', '=', 0)
      .where(byUuid ? 'uuid' : 'id', '=', byUuid ? id : Number(id))
      .executeTakeFirst();
  }

  /** The live nodes of a compute host, by id. */
  async nodesOn(host: string): Promise<ComputeNode[]> {
    return this.db
      .selectFrom('compute_nodes')
      .selectAll()
      .where('deleted', '=', 0)
      .where('host', '=', host)
      .orderBy('id')
      .execute();
  }

  /**
   * Live nodes whose hypervisor hostname is LIKE `%pattern%`, unescaped as upstream (the API
   * only lets letters, digits, `.`, `-` and `_` through, `_` matching any character).
   */
  async search(pattern: string): Promise<ComputeNode[]> {
    return this.db
      .selectFrom('compute_nodes')
      .selectAll()
      .where('deleted', '=', 0)
      .where((eb) => eb('hypervisor_hostname', 'like', `%${pattern}%`))
      .orderBy('id')
      .execute();
  }

  /** Servers on a host that are not deleted. */
  async serversOn(host: string): Promise<HostedServer[]> {
    const rows = await this.db
      .selectFrom('instances')
      .select(['display_name', 'uuid'])
      .where('host', '=', host)
      .where('deleted', '=', 0)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ name: r.display_name, uuid: r.uuid }));
  }

  /** How many servers are on these hosts. */
  async countServersOn(hosts: readonly string[]): Promise<number> {
    if (hosts.length === 0) return 0;
    const r = await this.db
      .selectFrom('instances')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('host', 'in', [...hosts])
      .where('deleted', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Which of these server uuids exist and are not deleted. */
  async existingServers(uuids: readonly string[]): Promise<Set<string>> {
    if (uuids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('instances')
      .select('uuid')
      .where('uuid', 'in', [...uuids])
      .where('deleted', '=', 0)
      .execute();
    return new Set(rows.map((r) => r.uuid));
  }

  /** Soft-deletes a host's compute nodes, as deleting its compute service does upstream. */
  async retireHost(host: string, at: number): Promise<void> {
    await this.db
      .updateTable('compute_nodes')
      .set({ deleted: 1, deleted_at: toDbTimestamp(at) })
      .where('host', '=', host)
      .where('deleted', '=', 0)
      .execute();
  }
}
