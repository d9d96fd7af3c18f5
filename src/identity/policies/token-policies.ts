import type { PolicyRule } from '../../platform/policy/policy-rule.js';
import { ADMIN_REQUIRED, ALL_SCOPES } from './base-policies.js';

const ADMIN_OR_SYSTEM_USER_OR_TOKEN_SUBJECT = `${ADMIN_REQUIRED} or (role:reader and system_scope:all) or rule:token_subject`;
const ADMIN_OR_SYSTEM_USER_OR_SERVICE_OR_TOKEN_SUBJECT = `${ADMIN_REQUIRED} or (role:reader and system_scope:all) or rule:service_role or rule:token_subject`;

/** keystone/common/policies/token.py and auth.py. */
export const tokenPolicies: PolicyRule[] = [
  {
    name: 'identity:check_token',
    checkStr: ADMIN_OR_SYSTEM_USER_OR_TOKEN_SUBJECT,
    scopeTypes: [...ALL_SCOPES],
    description: 'Check a token.',
    operations: [{ path: '/v3/auth/tokens', method: 'HEAD' }],
  },
  {
    name: 'identity:validate_token',
    checkStr: ADMIN_OR_SYSTEM_USER_OR_SERVICE_OR_TOKEN_SUBJECT,
    scopeTypes: [...ALL_SCOPES],
    description: 'Validate a token.',
    operations: [{ path: '/v3/auth/tokens', method: 'GET' }],
  },
  {
    name: 'identity:revoke_token',
    checkStr: `${ADMIN_REQUIRED} or rule:token_subject`,
    scopeTypes: [...ALL_SCOPES],
    description: 'Revoke a token.',
    operations: [{ path: '/v3/auth/tokens', method: 'DELETE' }],
  },
  {
    name: 'identity:get_auth_catalog',
    checkStr: '',
    description: 'Get service catalog.',
    operations: [{ path: '/v3/auth/catalog', method: 'GET' }],
  },
  {
    name: 'identity:get_auth_projects',
    checkStr: '',
    description: 'List all projects a user has access to via role assignments.',
    operations: [{ path: '/v3/auth/projects', method: 'GET' }],
  },
  {
    name: 'identity:get_auth_domains',
    checkStr: '',
    description: 'List all domains a user has access to via role assignments.',
    operations: [{ path: '/v3/auth/domains', method: 'GET' }],
  },
  {
    name: 'identity:get_auth_system',
    checkStr: '',
    description: 'List systems a user has access to via role assignments.',
    operations: [{ path: '/v3/auth/system', method: 'GET' }],
  },
];
