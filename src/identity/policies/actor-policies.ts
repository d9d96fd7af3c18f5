import type { PolicyRule } from '../../platform/policy/policy-rule.js';
import { ADMIN_REQUIRED, ALL_SCOPES, SYSTEM_READER } from './base-policies.js';

// keystone/common/policies/user.py and group.py (`token.domain.id` is `domain_id` here).
const USER_GET = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.user.domain_id)s) or user_id:%(target.user.id)s`;
const USER_LIST = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.domain_id)s)`;
const USER_MANAGE = `(${ADMIN_REQUIRED}) or (role:manager and domain_id:%(target.user.domain_id)s)`;

const GROUP_READ = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.group.domain_id)s)`;
const GROUPS_FOR_USER = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.user.domain_id)s) or user_id:%(user_id)s`;
const GROUP_MEMBER_CHECK = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.group.domain_id)s and domain_id:%(target.user.domain_id)s)`;
const GROUP_MANAGE = `(${ADMIN_REQUIRED}) or (role:manager and domain_id:%(target.group.domain_id)s)`;
const GROUP_MEMBER_MANAGE = `(${ADMIN_REQUIRED}) or (role:manager and domain_id:%(target.group.domain_id)s and domain_id:%(target.user.domain_id)s)`;

function rule(name: string, checkStr: string, description: string): PolicyRule {
  return { name: `identity:${name}`, checkStr, description, scopeTypes: [...ALL_SCOPES] };
}

/** Users and groups. */
export const actorPolicies: PolicyRule[] = [
  rule('get_user', USER_GET, 'Show user details.'),
  rule('list_users', USER_LIST, 'List users.'),
  rule('create_user', USER_MANAGE, 'Create a user.'),
  rule('update_user', USER_MANAGE, 'Update a user, including administrative password resets.'),
  rule('delete_user', USER_MANAGE, 'Delete a user.'),
  {
    // Called with any token, even unscoped, so it has no scope types (as upstream).
    name: 'identity:list_projects_for_user',
    checkStr: '',
    description: 'List all projects a user has access to via role assignments.',
  },
  rule('get_group', GROUP_READ, 'Show group details.'),
  rule('list_groups', GROUP_READ, 'List groups.'),
  rule('list_groups_for_user', GROUPS_FOR_USER, 'List groups to which a user belongs.'),
  rule('create_group', GROUP_MANAGE, 'Create group.'),
  rule('update_group', GROUP_MANAGE, 'Update group.'),
  rule('delete_group', GROUP_MANAGE, 'Delete group.'),
  rule('list_users_in_group', GROUP_READ, 'List members of a specific group.'),
  rule('remove_user_from_group', GROUP_MEMBER_MANAGE, 'Remove user from group.'),
  rule('check_user_in_group', GROUP_MEMBER_CHECK, 'Check whether a user is a member of a group.'),
  rule('add_user_to_group', GROUP_MEMBER_MANAGE, 'Add user to group.'),
];
