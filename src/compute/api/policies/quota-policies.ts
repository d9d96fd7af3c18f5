import type { PolicyRule } from '../../../platform/policy/policy-rule.js';
import { ADMIN, ANY, apiRule, PROJECT_READER_OR_ADMIN } from './base-rules.js';

/** Rule names of the quota and limits APIs. */
export const QuotaPolicy = {
  update: 'os_compute_api:os-quota-sets:update',
  defaults: 'os_compute_api:os-quota-sets:defaults',
  show: 'os_compute_api:os-quota-sets:show',
  delete: 'os_compute_api:os-quota-sets:delete',
  detail: 'os_compute_api:os-quota-sets:detail',
  classShow: 'os_compute_api:os-quota-class-sets:show',
  classUpdate: 'os_compute_api:os-quota-class-sets:update',
  limits: 'os_compute_api:limits',
  limitsOtherProject: 'os_compute_api:limits:other_project',
} as const;

/** Upstream's defaults for quota sets, quota classes and limits. */
export const quotaPolicies: PolicyRule[] = [
  apiRule(QuotaPolicy.update, ADMIN, 'Update the quotas', [
    { method: 'PUT', path: '/os-quota-sets/{tenant_id}' },
  ]),
  apiRule(QuotaPolicy.defaults, ANY, 'List default quotas', [
    { method: 'GET', path: '/os-quota-sets/{tenant_id}/defaults' },
  ]),
  apiRule(QuotaPolicy.show, PROJECT_READER_OR_ADMIN, 'Show a quota', [
    { method: 'GET', path: '/os-quota-sets/{tenant_id}' },
  ]),
  apiRule(QuotaPolicy.delete, ADMIN, 'Revert quotas to defaults', [
    { method: 'DELETE', path: '/os-quota-sets/{tenant_id}' },
  ]),
  apiRule(QuotaPolicy.detail, PROJECT_READER_OR_ADMIN, 'Show the detail of quota', [
    { method: 'GET', path: '/os-quota-sets/{tenant_id}/detail' },
  ]),
  apiRule(QuotaPolicy.classShow, ADMIN, 'List quotas for specific quota classs', [
    { method: 'GET', path: '/os-quota-class-sets/{quota_class}' },
  ]),
  apiRule(QuotaPolicy.classUpdate, ADMIN, 'Update quotas for specific quota class', [
    { method: 'PUT', path: '/os-quota-class-sets/{quota_class}' },
  ]),
  apiRule(QuotaPolicy.limits, ANY, 'Show rate and absolute limits for the current user project', [
    { method: 'GET', path: '/limits' },
  ]),
  apiRule(
    QuotaPolicy.limitsOtherProject,
    ADMIN,
    'Show rate and absolute limits of another project',
    [{ method: 'GET', path: '/limits' }],
  ),
];
