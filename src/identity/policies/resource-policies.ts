import type { PolicyRule } from '../../platform/policy/policy-rule.js';
import {
  ADMIN_OR_SYSTEM_READER,
  ADMIN_REQUIRED,
  ALL_SCOPES,
  SYSTEM_READER,
} from './base-policies.js';

// keystone/common/policies/domain.py and project.py. Keystone's `token.domain.id` and
// `token.project.domain.id` credentials are the `domain_id` and `project_domain_id` here.
const DOMAIN_GET = `${ADMIN_REQUIRED} or (role:reader and system_scope:all) or domain_id:%(target.domain.id)s or project_domain_id:%(target.domain.id)s`;
const DOMAIN_LIST = `${ADMIN_OR_SYSTEM_READER} or (role:reader and domain_id:%(target.domain.id)s)`;

const PROJECT_GET =
  `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or ` +
  '(role:reader and domain_id:%(target.project.domain_id)s and not None:%(target.project.domain_id)s) or ' +
  'project_id:%(target.project.id)s';
const PROJECT_LIST = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.domain_id)s)`;
const USER_PROJECTS =
  `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or ` +
  '(role:reader and domain_id:%(target.user.domain_id)s) or user_id:%(target.user.id)s';
const PROJECT_MANAGE =
  `(${ADMIN_REQUIRED}) or ` +
  '(role:manager and domain_id:%(target.project.domain_id)s and not None:%(target.project.domain_id)s)';

function rule(
  name: string,
  checkStr: string,
  description: string,
  scopes = [...ALL_SCOPES],
): PolicyRule {
  return { name: `identity:${name}`, checkStr, description, scopeTypes: scopes };
}

/** Domains, projects and project tags. */
export const resourcePolicies: PolicyRule[] = [
  rule('get_domain', DOMAIN_GET, 'Show domain details.'),
  rule('list_domains', DOMAIN_LIST, 'List domains.'),
  rule('create_domain', ADMIN_REQUIRED, 'Create domain.', ['system', 'project']),
  rule('update_domain', ADMIN_REQUIRED, 'Update domain.', ['system', 'project']),
  rule('delete_domain', ADMIN_REQUIRED, 'Delete domain.', ['system', 'project']),
  rule('get_project', PROJECT_GET, 'Show project details.'),
  rule('list_projects', PROJECT_LIST, 'List projects.'),
  rule('list_user_projects', USER_PROJECTS, 'List projects for user.'),
  rule('create_project', PROJECT_MANAGE, 'Create project.'),
  rule('update_project', PROJECT_MANAGE, 'Update project.'),
  rule('delete_project', PROJECT_MANAGE, 'Delete project.'),
  rule('list_project_tags', PROJECT_GET, 'List tags for a project.'),
  rule('get_project_tag', PROJECT_GET, 'Check if project contains a tag.'),
  rule(
    'update_project_tags',
    PROJECT_MANAGE,
    'Replace all tags on a project with the new set of tags.',
  ),
  rule('create_project_tag', PROJECT_MANAGE, 'Add a single tag to a project.'),
  rule('delete_project_tags', PROJECT_MANAGE, 'Remove all tags from a project.'),
  rule('delete_project_tag', PROJECT_MANAGE, 'Delete a specified tag from project.'),
];
