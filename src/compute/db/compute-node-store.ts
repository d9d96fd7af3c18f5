import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import type { Database } from '../../platform/db/database.js';
import { now } from '../../platform/db/timestamps.js';
import type { ComputeNodeReport } from '../conductor/client.js';
import type { CellDatabase, ComputeNodesTable } from './cell-tables.js';

/** A compute node row. */
export type ComputeNodeRow = Selectable<ComputeNodesTable>;

/** compute_nodes: one row per hypervisor node, kept current by its agent's reports. */
export class ComputeNodeStore {
  private readonly db: Kysely<CellDatabase>;

  constructor(
    database: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.db = database.kysely as Kysely<CellDatabase>;
  }

  /** Creates the node's row on its first report and updates it afterwards; returns the row. */
  async upsert(r: ComputeNodeReport): Promise<ComputeNodeRow> {
    const ts = now(this.clock);
    const values = {
      vcpus: r.vcpus,
      memory_mb: r.memoryMb,
      local_gb: r.localGb,
      vcpus_used: r.vcpusUsed,
      memory_mb_used: r.memoryMbUsed,
      local_gb_used: r.localGbUsed,
      free_ram_mb: r.memoryMb - r.memoryMbUsed,
      free_disk_gb: r.localGb - r.localGbUsed,
      running_vms: r.runningVms,
      hypervisor_type: r.hypervisorType,
      hypervisor_version: r.hypervisorVersion,
      host_ip: r.hostIp,
      cpu_info: JSON.stringify(r.cpuInfo),
      supported_instances: JSON.stringify(r.supportedInstances),
      cpu_allocation_ratio: r.cpuAllocationRatio,
      ram_allocation_ratio: r.ramAllocationRatio,
      disk_allocation_ratio: r.diskAllocationRatio,
    };
    const updated = await this.db
      .updateTable('compute_nodes')
      .set({ ...values, updated_at: ts })
      .where('host', '=', r.host)
      .where('hypervisor_hostname', '=', r.nodename)
      .where('deleted', '=', 0)
      .returningAll()
      .executeTakeFirst();
    if (updated) return updated;
    return this.db
      .insertInto('compute_nodes')
      .values({
        ...values,
        uuid: this.ids.uuid(),
        service_id: null,
        host: r.host,
        hypervisor_hostname: r.nodename,
        disk_available_least: null,
        current_workload: 0,
        created_at: ts,
        updated_at: null,
        deleted_at: null,
        deleted: 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Live nodes, optionally only those with these uuids (Placement provider uuids). */
  async list(filter: { uuids?: string[]; host?: string } = {}): Promise<ComputeNodeRow[]> {
    let q = this.db.selectFrom('compute_nodes').selectAll().where('deleted', '=', 0);
    if (filter.uuids) {
      if (filter.uuids.length === 0) return [];
      q = q.where('uuid', 'in', filter.uuids);
    }
    if (filter.host) q = q.where('host', '=', filter.host);
    return q.orderBy('id').execute();
  }
}
