import type { ComputeNodeReport } from '../conductor/client.js';
import type { InstanceRow } from '../db/instance-store.js';
import type { InventoryRecord } from '../placement-ports.js';
import type { NodeResources } from '../virt/driver.js';

/** The allocation ratios and host reservations of `[DEFAULT]`, as nova.conf names them. */
export interface ResourceSettings {
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
  reservedHostMemoryMb: number;
  reservedHostDiskMb: number;
  reservedHostCpus: number;
}

/** A node's compute_nodes report: capacity from the driver, usage from its instances. */
export function nodeReport(
  host: string,
  node: NodeResources,
  instances: readonly InstanceRow[],
  s: ResourceSettings,
): ComputeNodeReport {
  const mine = instances.filter((i) => i.node === node.nodename);
  return {
    host,
    nodename: node.nodename,
    vcpus: node.vcpus,
    memoryMb: node.memoryMb,
    localGb: node.localGb,
    vcpusUsed: mine.reduce((n, i) => n + i.vcpus, 0),
    memoryMbUsed: s.reservedHostMemoryMb + mine.reduce((n, i) => n + i.memory_mb, 0),
    localGbUsed:
      Math.ceil(s.reservedHostDiskMb / 1024) +
      mine.reduce((n, i) => n + i.root_gb + i.ephemeral_gb, 0),
    runningVms: mine.length,
    hypervisorType: node.hypervisorType,
    hypervisorVersion: node.hypervisorVersion,
    hostIp: node.hostIp,
    cpuInfo: node.cpuInfo,
    supportedInstances: [[String(node.cpuInfo.arch ?? 'x86_64'), node.hypervisorType, 'hvm']],
    cpuAllocationRatio: s.cpuAllocationRatio,
    ramAllocationRatio: s.ramAllocationRatio,
    diskAllocationRatio: s.diskAllocationRatio,
  };
}

/** A node's Placement inventory (VCPU, MEMORY_MB, DISK_GB), as Nova's resource tracker reports it. */
export function nodeInventory(
  node: NodeResources,
  s: ResourceSettings,
): Record<string, InventoryRecord> {
  const record = (total: number, reserved: number, ratio: number): InventoryRecord => ({
    total,
    reserved: Math.min(reserved, total),
    min_unit: 1,
    max_unit: total,
    step_size: 1,
    allocation_ratio: ratio,
  });
  return {
    VCPU: record(node.vcpus, s.reservedHostCpus, s.cpuAllocationRatio),
    MEMORY_MB: record(node.memoryMb, s.reservedHostMemoryMb, s.ramAllocationRatio),
    DISK_GB: record(node.localGb, Math.ceil(s.reservedHostDiskMb / 1024), s.diskAllocationRatio),
  };
}
