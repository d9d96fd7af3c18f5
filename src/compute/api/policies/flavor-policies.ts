import type { PolicyRule } from '../../../platform/policy/policy-rule.js';
import { ADMIN, ANY, apiRule, PROJECT_READER_OR_ADMIN } from './base-rules.js';

/** Rule names of the flavor APIs. */
export const FlavorPolicy = {
  create: 'os_compute_api:os-flavor-manage:create',
  update: 'os_compute_api:os-flavor-manage:update',
  delete: 'os_compute_api:os-flavor-manage:delete',
  accessList: 'os_compute_api:os-flavor-access',
  addTenantAccess: 'os_compute_api:os-flavor-access:add_tenant_access',
  removeTenantAccess: 'os_compute_api:os-flavor-access:remove_tenant_access',
  specsIndex: 'os_compute_api:os-flavor-extra-specs:index',
  specsShow: 'os_compute_api:os-flavor-extra-specs:show',
  specsCreate: 'os_compute_api:os-flavor-extra-specs:create',
  specsUpdate: 'os_compute_api:os-flavor-extra-specs:update',
  specsDelete: 'os_compute_api:os-flavor-extra-specs:delete',
  extensions: 'os_compute_api:extensions',
} as const;

/** Upstream's defaults for flavors, flavor access, extra specs and the extensions list. */
export const flavorPolicies: PolicyRule[] = [
  apiRule(FlavorPolicy.create, ADMIN, 'Create a flavor', [{ method: 'POST', path: '/flavors' }]),
  apiRule(FlavorPolicy.update, ADMIN, 'Update a flavor', [
    { method: 'PUT', path: '/flavors/{flavor_id}' },
  ]),
  apiRule(FlavorPolicy.delete, ADMIN, 'Delete a flavor', [
    { method: 'DELETE', path: '/flavors/{flavor_id}' },
  ]),
  apiRule(FlavorPolicy.accessList, ADMIN, 'List flavor access', [
    { method: 'GET', path: '/flavors/{flavor_id}/os-flavor-access' },
  ]),
  apiRule(FlavorPolicy.addTenantAccess, ADMIN, 'Add flavor access to a tenant', [
    { method: 'POST', path: '/flavors/{flavor_id}/action (addTenantAccess)' },
  ]),
  apiRule(FlavorPolicy.removeTenantAccess, ADMIN, 'Remove flavor access from a tenant', [
    { method: 'POST', path: '/flavors/{flavor_id}/action (removeTenantAccess)' },
  ]),
  apiRule(FlavorPolicy.specsIndex, PROJECT_READER_OR_ADMIN, 'List extra specs of a flavor', [
    { method: 'GET', path: '/flavors/{flavor_id}/os-extra_specs/' },
    { method: 'POST', path: '/flavors' },
    { method: 'GET', path: '/flavors/detail' },
    { method: 'GET', path: '/flavors/{flavor_id}' },
    { method: 'PUT', path: '/flavors/{flavor_id}' },
  ]),
  apiRule(FlavorPolicy.specsShow, PROJECT_READER_OR_ADMIN, 'Show an extra spec of a flavor', [
    { method: 'GET', path: '/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}' },
  ]),
  apiRule(FlavorPolicy.specsCreate, ADMIN, 'Create extra specs for a flavor', [
    { method: 'POST', path: '/flavors/{flavor_id}/os-extra_specs/' },
  ]),
  apiRule(FlavorPolicy.specsUpdate, ADMIN, 'Update an extra spec of a flavor', [
    { method: 'PUT', path: '/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}' },
  ]),
  apiRule(FlavorPolicy.specsDelete, ADMIN, 'Delete an extra spec of a flavor', [
    { method: 'DELETE', path: '/flavors/{flavor_id}/os-extra_specs/{flavor_extra_spec_key}' },
  ]),
  apiRule(FlavorPolicy.extensions, ANY, 'List available extensions', [
    { method: 'GET', path: '/extensions' },
    { method: 'GET', path: '/extensions/{alias}' },
  ]),
];
