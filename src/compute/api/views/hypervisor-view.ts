import type { ServiceRecord } from '../../../platform/service/service-registry.js';
import type { ComputeNode, HostedServer } from '../store/cell-records.js';
import { field, VersionedView } from './versioned-view.js';

/** What a hypervisor renders from: its node, its compute service and, on request, servers. */
export interface HypervisorSource {
  node: ComputeNode;
  service: ServiceRecord;
  /** Servers on the host when asked for (`with_servers`, or the pre-2.53 servers route). */
  servers?: HostedServer[];
  withServers?: boolean;
  uptime?: string | null;
}

function cpuInfoObject(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

const servers = (s: HypervisorSource) => s.servers ?? [];
/** Servers appear when there are some, and from 2.75 as [] whenever they were asked for. */
const hasServers = (s: HypervisorSource) => (s.servers?.length ?? 0) > 0;

/** The brief hypervisor of lists, search and the pre-2.53 servers route. */
export const hypervisorBriefView = new VersionedView<HypervisorSource>([
  field('id', ['2.0', '2.52'], (s) => s.node.id),
  field('id', ['2.53'], (s) => s.node.uuid),
  field('hypervisor_hostname', [], (s) => s.node.hypervisor_hostname),
  field('state', [], (s) => (s.service.up ? 'up' : 'down')),
  field('status', [], (s) => (s.service.disabled ? 'disabled' : 'enabled')),
  field('servers', ['2.0', '2.74'], servers, hasServers),
  field('servers', ['2.75'], servers, (s) => hasServers(s) || s.withServers === true),
]);

const STATISTICS_FIELDS = [
  'vcpus',
  'memory_mb',
  'local_gb',
  'vcpus_used',
  'memory_mb_used',
  'local_gb_used',
  'free_ram_mb',
  'free_disk_gb',
  'current_workload',
  'running_vms',
  'disk_available_least',
] as const;

/** The detailed hypervisor; the statistics fields go at 2.88, when `uptime` comes in. */
export const hypervisorDetailView = new VersionedView<HypervisorSource>([
  field('id', ['2.0', '2.52'], (s) => s.node.id),
  field('id', ['2.53'], (s) => s.node.uuid),
  field('hypervisor_hostname', [], (s) => s.node.hypervisor_hostname),
  field('state', [], (s) => (s.service.up ? 'up' : 'down')),
  field('status', [], (s) => (s.service.disabled ? 'disabled' : 'enabled')),
  field('hypervisor_type', [], (s) => s.node.hypervisor_type),
  field('hypervisor_version', [], (s) => s.node.hypervisor_version),
  field('host_ip', [], (s) => s.node.host_ip),
  field('service', ['2.0', '2.52'], (s) => ({
    id: s.service.id,
    host: s.node.host,
    disabled_reason: s.service.disabledReason,
  })),
  field('service', ['2.53'], (s) => ({
    id: s.service.uuid,
    host: s.node.host,
    disabled_reason: s.service.disabledReason,
  })),
  ...STATISTICS_FIELDS.map((name) =>
    field<HypervisorSource>(name, ['2.0', '2.87'], (s) => s.node[name]),
  ),
  // Nova 2.28: cpu_info is an object rather than its JSON text.
  field('cpu_info', ['2.0', '2.27'], (s) => s.node.cpu_info),
  field('cpu_info', ['2.28', '2.87'], (s) => cpuInfoObject(s.node.cpu_info)),
  field('uptime', ['2.88'], (s) => s.uptime ?? null),
  field('servers', ['2.0', '2.74'], servers, hasServers),
  field('servers', ['2.75'], servers, (s) => hasServers(s) || s.withServers === true),
]);

/** The summed statistics of GET /os-hypervisors/statistics (before 2.88). */
export function hypervisorStatistics(nodes: readonly ComputeNode[]): Record<string, number> {
  const out: Record<string, number> = { count: nodes.length };
  for (const name of STATISTICS_FIELDS)
    out[name] = nodes.reduce((a, n) => a + (Number(n[name]) || 0), 0);
  return out;
}
