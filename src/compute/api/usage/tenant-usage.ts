import { fromDbTimestamp } from '../../../platform/db/timestamps.js';
import type { UsageInstance } from './usage-reads.js';

/** One server's usage in a period. */
export interface ServerUsage {
  instance_id: string;
  name: string;
  tenant_id: string;
  flavor: string;
  hours: number;
  memory_mb: number;
  local_gb: number;
  vcpus: number;
  started_at: string | null;
  ended_at: string | null;
  state: string;
  uptime: number;
}

/** A project's usage in a period. */
export interface TenantUsage {
  tenant_id: string;
  server_usages?: ServerUsage[];
  total_local_gb_usage: number;
  total_vcpus_usage: number;
  total_memory_mb_usage: number;
  total_hours: number;
  start: string;
  stop: string;
}

/** A datetime as Nova's usage bodies render them (naive UTC with microseconds). */
export function usageTime(d: Date): string {
  return `${d.toISOString().slice(0, 23)}000`;
}

function flavorOf(i: UsageInstance): {
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
} {
  try {
    const f = JSON.parse(i.flavor) as Record<string, unknown>;
    return {
      name: typeof f.name === 'string' ? f.name : '',
      memory_mb: Number(f.memory_mb ?? i.memory_mb),
      vcpus: Number(f.vcpus ?? i.vcpus),
      root_gb: Number(f.root_gb ?? i.root_gb),
      ephemeral_gb: Number(f.ephemeral_gb ?? i.ephemeral_gb),
    };
  } catch {
    return {
      name: '',
      memory_mb: i.memory_mb,
      vcpus: i.vcpus,
      root_gb: i.root_gb,
      ephemeral_gb: i.ephemeral_gb,
    };
  }
}

/** Hours a server ran within [start, stop], as upstream's _hours_for. */
function hoursFor(i: UsageInstance, start: Date, stop: Date): number {
  const launched = i.launched_at ? fromDbTimestamp(i.launched_at) : null;
  const terminated = i.terminated_at ? fromDbTimestamp(i.terminated_at) : null;
  if (terminated && terminated < start) return 0;
  if (!launched || launched > stop) return 0;
  const from = launched > start ? launched : start;
  const to = terminated && terminated < stop ? terminated : stop;
  return (to.getTime() - from.getTime()) / 3_600_000;
}

/**
 * Sums server usage per project over a period, as upstream's _tenant_usages_for_period: hours
 * times the flavor's vcpus, RAM and disk, and per-server detail when asked.
 */
export function tenantUsages(
  instances: readonly UsageInstance[],
  start: Date,
  stop: Date,
  now: Date,
  detailed: boolean,
): { usages: TenantUsage[]; servers: ServerUsage[] } {
  const byProject = new Map<string, TenantUsage>();
  const servers: ServerUsage[] = [];
  for (const i of instances) {
    const flavor = flavorOf(i);
    const hours = hoursFor(i, start, stop);
    const started = i.launched_at ? fromDbTimestamp(i.launched_at) : null;
    const ended = i.terminated_at ? fromDbTimestamp(i.terminated_at) : null;
    const info: ServerUsage = {
      instance_id: i.uuid,
      name: i.display_name,
      tenant_id: i.project_id,
      flavor: flavor.name,
      hours,
      memory_mb: flavor.memory_mb,
      local_gb: flavor.root_gb + flavor.ephemeral_gb,
      vcpus: flavor.vcpus,
      started_at: started ? usageTime(started) : null,
      ended_at: ended ? usageTime(ended) : null,
      state: ended ? 'terminated' : i.vm_state,
      uptime: Math.trunc(((ended ?? now).getTime() - (started ?? now).getTime()) / 1000),
    };
    let summary = byProject.get(i.project_id);
    if (!summary) {
      summary = {
        tenant_id: i.project_id,
        ...(detailed ? { server_usages: [] } : {}),
        total_local_gb_usage: 0,
        total_vcpus_usage: 0,
        total_memory_mb_usage: 0,
        total_hours: 0,
        start: usageTime(start),
        stop: usageTime(stop),
      };
      byProject.set(i.project_id, summary);
    }
    summary.total_local_gb_usage += info.local_gb * hours;
    summary.total_vcpus_usage += info.vcpus * hours;
    summary.total_memory_mb_usage += info.memory_mb * hours;
    summary.total_hours += hours;
    servers.push(info);
    summary.server_usages?.push(info);
  }
  return { usages: [...byProject.values()], servers };
}
