import type { ApiVersion } from '../microversion/api-version.js';
import { Versioned } from '../microversion/versioned.js';
import type { QuotaDetails } from '../quota/quota-engine.js';
import {
  NETWORK_QUOTAS,
  PERSONALITY_QUOTAS,
  QUOTA_RESOURCE_NAMES,
} from '../quota/quota-resources.js';
import type { Limits } from '../quota/quota-store.js';

/** Quota set resources hidden by microversion (quota sets and limits). */
const QUOTA_SET_HIDDEN = new Versioned<readonly string[]>([
  [['2.0', '2.35'], []],
  [['2.36', '2.56'], NETWORK_QUOTAS],
  [['2.57'], [...NETWORK_QUOTAS, ...PERSONALITY_QUOTAS]],
]);

/** Quota class resources hidden by microversion: server group quotas only show from 2.50. */
const QUOTA_CLASS_HIDDEN = new Versioned<readonly string[]>([
  [
    ['2.0', '2.49'],
    ['server_groups', 'server_group_members'],
  ],
  [['2.50', '2.56'], NETWORK_QUOTAS],
  [['2.57'], [...NETWORK_QUOTAS, ...PERSONALITY_QUOTAS]],
]);

/** The quota set resources shown at a version. */
export function quotaSetResources(v: ApiVersion): string[] {
  const hidden = QUOTA_SET_HIDDEN.at(v)!;
  return QUOTA_RESOURCE_NAMES.filter((n) => !hidden.includes(n));
}

function ordered<T>(
  v: ApiVersion,
  values: Record<string, T>,
  hidden: readonly string[],
  id?: string,
) {
  const out: Record<string, unknown> = id === undefined ? {} : { id };
  for (const name of QUOTA_RESOURCE_NAMES) {
    if (!hidden.includes(name) && name in values) out[name] = values[name];
  }
  return out;
}

/** `{"quota_set": {...limits}}`, with `id` when given (show, defaults; not update). */
export function quotaSetBody(v: ApiVersion, limits: Limits, id?: string): unknown {
  return { quota_set: ordered(v, limits, QUOTA_SET_HIDDEN.at(v)!, id) };
}

/** `{"quota_set": {resource: {in_use, limit, reserved}}}` of the detail view. */
export function quotaSetDetailBody(v: ApiVersion, details: QuotaDetails, id: string): unknown {
  const values: Record<string, unknown> = {};
  // Reservations are gone upstream; `reserved` stays 0 for the response contract.
  for (const [k, d] of Object.entries(details))
    values[k] = { in_use: d.in_use ?? 0, limit: d.limit, reserved: 0 };
  return { quota_set: ordered(v, values, QUOTA_SET_HIDDEN.at(v)!, id) };
}

/** `{"quota_class_set": {...}}`, with `id` on show. */
export function quotaClassBody(v: ApiVersion, limits: Limits, id?: string): unknown {
  return { quota_class_set: ordered(v, limits, QUOTA_CLASS_HIDDEN.at(v)!, id) };
}

/** The limits and their absolute names, as GET /limits names them. */
const ABSOLUTE_NAMES: Record<string, string[]> = {
  ram: ['maxTotalRAMSize'],
  instances: ['maxTotalInstances'],
  cores: ['maxTotalCores'],
  key_pairs: ['maxTotalKeypairs'],
  floating_ips: ['maxTotalFloatingIps'],
  metadata_items: ['maxServerMeta', 'maxImageMeta'],
  injected_files: ['maxPersonality'],
  injected_file_content_bytes: ['maxPersonalitySize'],
  security_groups: ['maxSecurityGroups'],
  security_group_rules: ['maxSecurityGroupRules'],
  server_groups: ['maxServerGroups'],
  server_group_members: ['maxServerGroupMembers'],
};

const USED_NAMES: Record<string, string> = {
  totalRAMUsed: 'ram',
  totalCoresUsed: 'cores',
  totalInstancesUsed: 'instances',
  totalFloatingIpsUsed: 'floating_ips',
  totalSecurityGroupsUsed: 'security_groups',
  totalServerGroupsUsed: 'server_groups',
};

/**
 * GET /limits: absolute limits and usage under their camel-case names; network limits go at
 * 2.36, `maxImageMeta` at 2.39, personality limits at 2.57; `rate` is always empty.
 */
export function limitsBody(v: ApiVersion, quotas: QuotaDetails): unknown {
  const hidden = QUOTA_SET_HIDDEN.at(v)!;
  const absolute: Record<string, number> = {};
  for (const [name, q] of Object.entries(quotas)) {
    if (hidden.includes(name)) continue;
    for (const label of ABSOLUTE_NAMES[name] ?? []) {
      // Nova 2.39: the image metadata proxy is gone, and its limit with it.
      if (label === 'maxImageMeta' && v.atLeast('2.39')) continue;
      absolute[label] = q.limit;
    }
  }
  for (const [label, name] of Object.entries(USED_NAMES)) {
    if (name in quotas && !hidden.includes(name)) absolute[label] = quotas[name]!.in_use ?? 0;
  }
  return { limits: { rate: [], absolute } };
}
