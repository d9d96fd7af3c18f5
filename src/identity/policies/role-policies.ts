import type { PolicyRule, ScopeType } from '../../platform/policy/policy-rule.js';
import {
  ADMIN_OR_SYSTEM_READER,
  ADMIN_REQUIRED,
  ALL_SCOPES,
  SYSTEM_READER,
} from './base-policies.js';

// keystone/common/policies/role.py, implied_role.py, grant.py and role_assignment.py.
const ROLE_GET = `(${ADMIN_OR_SYSTEM_READER}) or (role:manager and rule:domain_managed_target_role)`;
const ROLE_LIST = `(${ADMIN_OR_SYSTEM_READER}) or (role:manager and not domain_id:None)`;

const USER_DOMAIN = 'domain_id:%(target.user.domain_id)s';
const GROUP_DOMAIN = 'domain_id:%(target.group.domain_id)s';
const PROJECT_DOMAIN = 'domain_id:%(target.project.domain_id)s';
const TARGET_DOMAIN = 'domain_id:%(target.domain.id)s';
const ROLE_DOMAIN = 'domain_id:%(target.role.domain_id)s or None:%(target.role.domain_id)s';
function grantsDomain(role: string): string {
  return [
    `(role:${role} and ${USER_DOMAIN} and ${PROJECT_DOMAIN})`,
    `(role:${role} and ${USER_DOMAIN} and ${TARGET_DOMAIN})`,
    `(role:${role} and ${GROUP_DOMAIN} and ${PROJECT_DOMAIN})`,
    `(role:${role} and ${GROUP_DOMAIN} and ${TARGET_DOMAIN})`,
  ].join(' or ');
}
const GRANT_CHECK = `(${ADMIN_REQUIRED}) or ((${SYSTEM_READER}) or (${grantsDomain('reader')}) and (${ROLE_DOMAIN}))`;
const GRANT_LIST = `(${ADMIN_REQUIRED}) or ((${SYSTEM_READER}) or ${grantsDomain('reader')})`;
const GRANT_MANAGE =
  `(${ADMIN_REQUIRED}) or (${grantsDomain('admin')}) and (${ROLE_DOMAIN}) or ` +
  `(${grantsDomain('manager')}) and rule:domain_managed_target_role`;
const ASSIGNMENTS_LIST = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.domain_id)s)`;

function rule(
  name: string,
  checkStr: string,
  description: string,
  scopes: ScopeType[] = [...ALL_SCOPES],
): PolicyRule {
  return { name: `identity:${name}`, checkStr, description, scopeTypes: scopes };
}
const SP: ScopeType[] = ['system', 'project'];

/** Roles, implied roles, grants and role assignments. */
export const rolePolicies: PolicyRule[] = [
  rule('get_role', ROLE_GET, 'Show role details.'),
  rule('list_roles', ROLE_LIST, 'List roles.'),
  rule('create_role', ADMIN_REQUIRED, 'Create role.', SP),
  rule('update_role', ADMIN_REQUIRED, 'Update role.', SP),
  rule('delete_role', ADMIN_REQUIRED, 'Delete role.', SP),
  rule('get_domain_role', ADMIN_OR_SYSTEM_READER, 'Show domain role.', SP),
  rule('list_domain_roles', ADMIN_OR_SYSTEM_READER, 'List domain roles.', SP),
  rule('create_domain_role', ADMIN_REQUIRED, 'Create domain role.', SP),
  rule('update_domain_role', ADMIN_REQUIRED, 'Update domain role.', SP),
  rule('delete_domain_role', ADMIN_REQUIRED, 'Delete domain role.', SP),
  rule(
    'get_implied_role',
    ADMIN_OR_SYSTEM_READER,
    'Get information about an association between two roles.',
    SP,
  ),
  rule('list_implied_roles', ADMIN_OR_SYSTEM_READER, 'List associations between two roles.', SP),
  rule('create_implied_role', ADMIN_REQUIRED, 'Create an association between two roles.', SP),
  rule('delete_implied_role', ADMIN_REQUIRED, 'Delete the association between two roles.', SP),
  rule(
    'list_role_inference_rules',
    ADMIN_OR_SYSTEM_READER,
    'List all associations between two roles in the system.',
    SP,
  ),
  rule('check_implied_role', ADMIN_OR_SYSTEM_READER, 'Check an association between two roles.', SP),
  rule('check_grant', GRANT_CHECK, 'Check a role grant between a target and an actor.'),
  rule('list_grants', GRANT_LIST, 'List roles granted to an actor on a target.'),
  rule('create_grant', GRANT_MANAGE, 'Create a role grant between a target and an actor.'),
  rule('revoke_grant', GRANT_MANAGE, 'Revoke a role grant between a target and an actor.'),
  rule(
    'list_system_grants_for_user',
    ADMIN_OR_SYSTEM_READER,
    'List all grants a specific user has on the system.',
    SP,
  ),
  rule(
    'check_system_grant_for_user',
    ADMIN_OR_SYSTEM_READER,
    'Check if a user has a role on the system.',
    SP,
  ),
  rule('create_system_grant_for_user', ADMIN_REQUIRED, 'Grant a user a role on the system.', SP),
  rule(
    'revoke_system_grant_for_user',
    ADMIN_REQUIRED,
    'Remove a role from a user on the system.',
    SP,
  ),
  rule(
    'list_system_grants_for_group',
    ADMIN_OR_SYSTEM_READER,
    'List all grants a specific group has on the system.',
    SP,
  ),
  rule(
    'check_system_grant_for_group',
    ADMIN_OR_SYSTEM_READER,
    'Check if a group has a role on the system.',
    SP,
  ),
  rule('create_system_grant_for_group', ADMIN_REQUIRED, 'Grant a group a role on the system.', SP),
  rule(
    'revoke_system_grant_for_group',
    ADMIN_REQUIRED,
    'Remove a role from a group on the system.',
    SP,
  ),
  rule('list_role_assignments', ASSIGNMENTS_LIST, 'List role assignments.'),
  rule(
    'list_role_assignments_for_tree',
    ASSIGNMENTS_LIST,
    'List all role assignments for a given tree of hierarchical projects.',
  ),
];
