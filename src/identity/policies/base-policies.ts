import type { PolicyRule } from '../../platform/policy/policy-rule.js';

/**
 * The check strings keystone's policies are built from (keystone/common/policies/base.py),
 * kept verbatim in meaning so that operators' policy files read the same here.
 */
export const ADMIN_REQUIRED = 'rule:admin_required';
/** A system-scoped reader. */
export const SYSTEM_READER = 'role:reader and system_scope:all';
/** A system-scoped admin. */
export const SYSTEM_ADMIN = 'role:admin and system_scope:all';
/** Admin, system reader, or the user the target belongs to. */
export const ADMIN_OR_SYSTEM_READER_OR_OWNER = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or rule:owner`;
/** Admin or system reader. */
export const ADMIN_OR_SYSTEM_READER = `${ADMIN_REQUIRED} or (${SYSTEM_READER})`;

/** The scopes most identity rules allow. */
export const ALL_SCOPES = ['system', 'domain', 'project'] as const;

/** The general rules other identity rules refer to. */
export const basePolicies: PolicyRule[] = [
  { name: 'admin_required', checkStr: 'role:admin or is_admin:1', description: 'Admin role.' },
  { name: 'service_role', checkStr: 'role:service', description: 'Service role.' },
  {
    name: 'service_or_admin',
    checkStr: 'rule:admin_required or rule:service_role',
    description: 'Admin or service.',
  },
  { name: 'owner', checkStr: 'user_id:%(user_id)s', description: 'The user in the URL.' },
  {
    name: 'admin_or_owner',
    checkStr: 'rule:admin_required or rule:owner',
    description: 'Admin or the user in the URL.',
  },
  {
    name: 'token_subject',
    checkStr: 'user_id:%(target.token.user_id)s',
    description: 'The user a token belongs to.',
  },
  {
    name: 'admin_or_token_subject',
    checkStr: 'rule:admin_required or rule:token_subject',
    description: 'Admin or the token owner.',
  },
  {
    name: 'service_admin_or_token_subject',
    checkStr: 'rule:service_or_admin or rule:token_subject',
    description: 'Admin, service or the token owner.',
  },
  {
    name: 'domain_managed_target_role',
    checkStr:
      "'manager':%(target.role.name)s or 'member':%(target.role.name)s or " +
      "'reader':%(target.role.name)s",
    description: 'Roles a domain manager may grant.',
  },
];
