import type { PolicyRule, ScopeType } from '../../platform/policy/policy-rule.js';
import { ADMIN_OR_SYSTEM_READER, ADMIN_REQUIRED, ALL_SCOPES } from './base-policies.js';

function rule(
  name: string,
  checkStr: string,
  description: string,
  scopes: ScopeType[] = ['system', 'project'],
): PolicyRule {
  return { name: `identity:${name}`, checkStr, description, scopeTypes: scopes };
}

/** keystone/common/policies/service.py, endpoint.py and region.py. */
export const catalogPolicies: PolicyRule[] = [
  rule('get_service', ADMIN_OR_SYSTEM_READER, 'Show service details.'),
  rule('list_services', ADMIN_OR_SYSTEM_READER, 'List services.'),
  rule('create_service', ADMIN_REQUIRED, 'Create service.'),
  rule('update_service', ADMIN_REQUIRED, 'Update service.'),
  rule('delete_service', ADMIN_REQUIRED, 'Delete service.'),
  rule('get_endpoint', ADMIN_OR_SYSTEM_READER, 'Show endpoint details.'),
  rule('list_endpoints', ADMIN_OR_SYSTEM_READER, 'List endpoints.'),
  rule('create_endpoint', ADMIN_REQUIRED, 'Create endpoint.'),
  rule('update_endpoint', ADMIN_REQUIRED, 'Update endpoint.'),
  rule('delete_endpoint', ADMIN_REQUIRED, 'Delete endpoint.'),
  rule('get_region', '', 'Show region details.', [...ALL_SCOPES]),
  rule('list_regions', '', 'List regions.', [...ALL_SCOPES]),
  rule('create_region', ADMIN_REQUIRED, 'Create region.'),
  rule('update_region', ADMIN_REQUIRED, 'Update region.'),
  rule('delete_region', ADMIN_REQUIRED, 'Delete region.'),
];
