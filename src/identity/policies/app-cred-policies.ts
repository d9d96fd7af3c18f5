import type { PolicyRule } from '../../platform/policy/policy-rule.js';
import { ADMIN_OR_SYSTEM_READER_OR_OWNER } from './base-policies.js';

/** keystone/common/policies/application_credential.py. */
export const appCredPolicies: PolicyRule[] = [
  {
    name: 'identity:get_application_credential',
    checkStr: ADMIN_OR_SYSTEM_READER_OR_OWNER,
    scopeTypes: ['system', 'project'],
    description: 'Show application credential details.',
  },
  {
    name: 'identity:list_application_credentials',
    checkStr: ADMIN_OR_SYSTEM_READER_OR_OWNER,
    scopeTypes: ['system', 'project'],
    description: 'List application credentials for a user.',
  },
  {
    name: 'identity:create_application_credential',
    checkStr: 'user_id:%(user_id)s',
    scopeTypes: ['project'],
    description: 'Create an application credential.',
  },
  {
    name: 'identity:delete_application_credential',
    checkStr: 'rule:admin_required or rule:owner',
    scopeTypes: ['system', 'project'],
    description: 'Delete an application credential.',
  },
];
