import type { PolicyRule } from '../../../platform/policy/policy-rule.js';

/** Only admins. */
export const ADMIN = 'rule:context_is_admin';
/** Members of the target project, or admins. */
export const PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin';
/** Readers of the target project, or admins. */
export const PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin';
/** Anyone with a valid token. */
export const ANY = '@';

/** Nova's general rules that the per-API rules refer to (nova/policies/base.py defaults). */
export const baseRules: PolicyRule[] = [
  { name: 'context_is_admin', checkStr: 'role:admin', description: 'Admin check.' },
  {
    name: 'admin_or_owner',
    checkStr: 'is_admin:True or project_id:%(project_id)s',
    description: 'Deprecated: admins or owners of the resource.',
  },
  { name: 'admin_api', checkStr: 'is_admin:True', description: 'Deprecated: admin APIs.' },
  {
    name: 'project_manager_api',
    checkStr: 'role:manager and project_id:%(project_id)s',
    description: 'Project managers of the target project.',
  },
  {
    name: 'project_member_api',
    checkStr: 'role:member and project_id:%(project_id)s',
    description: 'Project members of the target project.',
  },
  {
    name: 'project_reader_api',
    checkStr: 'role:reader and project_id:%(project_id)s',
    description: 'Project readers of the target project.',
  },
  { name: 'service_api', checkStr: 'role:service', description: 'Service users.' },
  {
    name: 'project_manager_or_admin',
    checkStr: 'rule:project_manager_api or rule:context_is_admin',
    description: 'Project managers or admins.',
  },
  {
    name: 'project_member_or_admin',
    checkStr: 'rule:project_member_api or rule:context_is_admin',
    description: 'Project members or admins.',
  },
  {
    name: 'project_reader_or_admin',
    checkStr: 'rule:project_reader_api or rule:context_is_admin',
    description: 'Project readers or admins.',
  },
  {
    name: 'service_or_admin',
    checkStr: 'rule:service_api or rule:context_is_admin',
    description: 'Service users or admins.',
  },
];

/** A project-scoped API rule, as nearly every compute API rule is. */
export function apiRule(
  name: string,
  checkStr: string,
  description: string,
  operations: { method: string; path: string }[],
): PolicyRule {
  return { name, checkStr, description, scopeTypes: ['project'], operations };
}
