import type { ApiConfig } from '../api-options.js';

/** How a quota resource's usage is known. */
export type QuotaKind = 'absolute' | 'countable';

/** A resource Nova keeps a quota for. */
export interface QuotaResource {
  name: string;
  kind: QuotaKind;
  /** Its default limit from `[quota]`; -1 (unlimited) for the retired network resources. */
  default(config: ApiConfig): number;
}

const fromConfig =
  (key: keyof ApiConfig['quota']) =>
  (config: ApiConfig): number =>
    Number(config.quota[key]);
const unlimited = (): number => -1;

/**
 * Nova's quota resources in its order (nova/quota.py): what quota sets and quota classes list,
 * before the microversion filters remove the network (2.36/2.50) and personality (2.57) ones.
 */
export const QUOTA_RESOURCES: readonly QuotaResource[] = [
  { name: 'cores', kind: 'countable', default: fromConfig('cores') },
  { name: 'injected_files', kind: 'absolute', default: fromConfig('injected_files') },
  {
    name: 'injected_file_content_bytes',
    kind: 'absolute',
    default: fromConfig('injected_file_content_bytes'),
  },
  {
    name: 'injected_file_path_bytes',
    kind: 'absolute',
    default: fromConfig('injected_file_path_length'),
  },
  { name: 'instances', kind: 'countable', default: fromConfig('instances') },
  { name: 'key_pairs', kind: 'countable', default: fromConfig('key_pairs') },
  { name: 'metadata_items', kind: 'absolute', default: fromConfig('metadata_items') },
  { name: 'ram', kind: 'countable', default: fromConfig('ram') },
  { name: 'server_groups', kind: 'countable', default: fromConfig('server_groups') },
  {
    name: 'server_group_members',
    kind: 'countable',
    default: fromConfig('server_group_members'),
  },
  { name: 'fixed_ips', kind: 'absolute', default: unlimited },
  { name: 'floating_ips', kind: 'absolute', default: unlimited },
  { name: 'security_groups', kind: 'absolute', default: unlimited },
  { name: 'security_group_rules', kind: 'absolute', default: unlimited },
];

/** Every quota resource name. */
export const QUOTA_RESOURCE_NAMES: readonly string[] = QUOTA_RESOURCES.map((r) => r.name);

/** Resources counted per project only, never per user (upstream's PER_PROJECT_QUOTAS). */
export const PER_PROJECT_QUOTAS: readonly string[] = ['fixed_ips', 'floating_ips', 'networks'];

/** Network quotas hidden from 2.36 (quota sets, limits) and 2.50 (quota classes). */
export const NETWORK_QUOTAS: readonly string[] = [
  'fixed_ips',
  'floating_ips',
  'security_group_rules',
  'security_groups',
];

/** Personality quotas hidden from 2.57. */
export const PERSONALITY_QUOTAS: readonly string[] = [
  'injected_files',
  'injected_file_content_bytes',
  'injected_file_path_bytes',
];
