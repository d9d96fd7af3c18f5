import type { PolicyRule } from '../../../platform/policy/policy-rule.js';
import { ADMIN, apiRule, PROJECT_READER_OR_ADMIN } from './base-rules.js';

/** Rule names of the usage and audit log APIs. */
export const UsagePolicy = {
  show: 'os_compute_api:os-simple-tenant-usage:show',
  list: 'os_compute_api:os-simple-tenant-usage:list',
  auditList: 'os_compute_api:os-instance-usage-audit-log:list',
  auditShow: 'os_compute_api:os-instance-usage-audit-log:show',
} as const;

/** Upstream's defaults: a project's usage for its readers, everything else for admins. */
export const usagePolicies: PolicyRule[] = [
  apiRule(
    UsagePolicy.show,
    PROJECT_READER_OR_ADMIN,
    'Show usage statistics for a specific tenant',
    [{ method: 'GET', path: '/os-simple-tenant-usage/{tenant_id}' }],
  ),
  apiRule(UsagePolicy.list, ADMIN, 'List per tenant usage statistics for all tenants', [
    { method: 'GET', path: '/os-simple-tenant-usage' },
  ]),
  apiRule(UsagePolicy.auditList, ADMIN, 'List all usage audits', [
    { method: 'GET', path: '/os-instance_usage_audit_log' },
  ]),
  apiRule(
    UsagePolicy.auditShow,
    ADMIN,
    'List all usage audits occurred before a specified time for all servers on all compute hosts where usage auditing is configured',
    [{ method: 'GET', path: '/os-instance_usage_audit_log/{before_timestamp}' }],
  ),
];
