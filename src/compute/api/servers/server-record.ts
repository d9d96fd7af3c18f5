import { createHash } from 'node:crypto';
import type { InstanceRow } from '../../db/instance-store.js';
import type { FlavorSnapshot, RequestSpec } from '../../request-spec.js';

/** A server as the views render it: the instance row and what hangs off it. */
export interface ServerRecord {
  row: InstanceRow;
  metadata: Record<string, string>;
  tags: string[];
  /** The latest fault, if any. */
  fault: { code: number; message: string; details: string | null; created_at: string } | null;
}

/** Nova's isotime: `2013-09-03T04:01:32Z` from a stored timestamp. */
export function isoTime(stored: string): string {
  return `${stored.slice(0, 19)}Z`;
}

/** A datetime as Python's isoformat without a zone (`OS-SRV-USG:*`): `2013-09-23T13:37:00.880302`. */
export function naiveIso(stored: string | null): string | null {
  return stored === null ? null : stored.slice(0, 26);
}

/** Nova's generate_hostid: a per-project hash of the host, so projects cannot compare hosts. */
export function hostId(host: string | null, projectId: string): string {
  if (!host) return '';
  return createHash('sha224')
    .update(projectId + host)
    .digest('hex');
}

/** Nova's `instance-%08x` guest name. */
export function instanceName(row: InstanceRow): string {
  return `instance-${row.id.toString(16).padStart(8, '0')}`;
}

/** The flavor the instance was booted with. */
export function flavorOf(row: InstanceRow): FlavorSnapshot {
  return JSON.parse(row.flavor) as FlavorSnapshot;
}

/** The request spec stored with the instance, if the API recorded one. */
export function requestSpecOf(row: InstanceRow): RequestSpec | null {
  return row.request_spec ? (JSON.parse(row.request_spec) as RequestSpec) : null;
}
