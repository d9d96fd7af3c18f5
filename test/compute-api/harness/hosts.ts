/**
 * Compute hosts for route tests, written as the compute agent writes them: a service row
 * (through the registry, as a heartbeat) and a compute_nodes row.
 */
import type { Insertable, Kysely } from 'kysely';
import type { CellDatabase, InstancesTable } from '../../../src/compute/db/cell-tables.js';
import { toDbTimestamp } from '../../../src/platform/db/timestamps.js';
import {
  ServiceRegistry,
  type ServiceRecord,
} from '../../../src/platform/service/service-registry.js';
import type { ComputeApiHandle } from './compute-api-app.js';

let uuidCounter = 0;
const testIds = {
  uuid: () => `00000000-0000-4000-8000-${String(++uuidCounter).padStart(12, '0')}`,
};

/** Records a heartbeat of a service, creating its row. */
export async function addService(
  api: ComputeApiHandle,
  host: string,
  binary: string,
  topic: string,
): Promise<ServiceRecord> {
  const registry = new ServiceRegistry(api.apiDb, api.clock, testIds, 60);
  return registry.report({ host, binary, topic });
}

/** A compute host: its stratus-compute service and one compute node. */
export async function addComputeHost(
  api: ComputeApiHandle,
  host: string,
  node: Partial<{
    hypervisorHostname: string;
    vcpus: number;
    memoryMb: number;
    localGb: number;
  }> = {},
): Promise<{ service: ServiceRecord; nodeUuid: string; nodeId: number }> {
  const service = await addService(api, host, 'stratus-compute', 'compute');
  const db = api.apiDb.kysely as Kysely<CellDatabase>;
  const uuid = testIds.uuid();
  const memory = node.memoryMb ?? 8192;
  const disk = node.localGb ?? 1028;
  const row = await db
    .insertInto('compute_nodes')
    .values({
      uuid,
      service_id: service.id,
      host,
      hypervisor_hostname: node.hypervisorHostname ?? `${host}.example.com`,
      vcpus: node.vcpus ?? 2,
      memory_mb: memory,
      local_gb: disk,
      vcpus_used: 0,
      memory_mb_used: 512,
      local_gb_used: 0,
      hypervisor_type: 'QEMU',
      hypervisor_version: 8002000,
      cpu_info: JSON.stringify({
        arch: 'x86_64',
        model: 'qemu64',
        vendor: 'AMD',
        features: [],
        topology: { cores: 2, threads: 1, sockets: 1 },
      }),
      disk_available_least: disk,
      free_ram_mb: memory - 512,
      free_disk_gb: disk,
      current_workload: 0,
      running_vms: 0,
      host_ip: '192.168.1.135',
      supported_instances: '[]',
      cpu_allocation_ratio: 16,
      ram_allocation_ratio: 1.5,
      disk_allocation_ratio: 1,
      created_at: toDbTimestamp(api.clock.now()),
      updated_at: null,
      deleted_at: null,
      deleted: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { service, nodeUuid: uuid, nodeId: row.id };
}

/** What a test server needs; the rest takes harmless values. */
export interface TestServer {
  uuid: string;
  name: string;
  projectId: string;
  host?: string | null;
  vcpus?: number;
  memoryMb?: number;
  rootGb?: number;
  vmState?: string;
  launchedAt?: string | null;
  terminatedAt?: string | null;
  deleted?: boolean;
}

/** Writes a server row into the cell database, as the servers API and agents would. */
export async function addServer(api: ComputeApiHandle, s: TestServer): Promise<void> {
  const db = api.apiDb.kysely as Kysely<CellDatabase>;
  const ts = toDbTimestamp(api.clock.now());
  await db
    .insertInto('instances')
    .values({
      uuid: s.uuid,
      user_id: 'fake',
      project_id: s.projectId,
      vm_state: s.vmState ?? 'active',
      memory_mb: s.memoryMb ?? 512,
      vcpus: s.vcpus ?? 1,
      root_gb: s.rootGb ?? 1,
      ephemeral_gb: 0,
      flavor_id: '1',
      flavor: JSON.stringify({
        name: 'm1.tiny',
        memory_mb: s.memoryMb ?? 512,
        vcpus: s.vcpus ?? 1,
        root_gb: s.rootGb ?? 1,
        ephemeral_gb: 0,
      }),
      reservation_id: 'r-test',
      display_name: s.name,
      image_meta: '{}',
      network_info: '[]',
      host: s.host ?? null,
      launched_at: s.launchedAt ?? null,
      terminated_at: s.terminatedAt ?? null,
      created_at: ts,
      deleted: s.deleted ? 1 : 0,
      // The other columns have database defaults.
    } as unknown as Insertable<InstancesTable>)
    .execute();
}
