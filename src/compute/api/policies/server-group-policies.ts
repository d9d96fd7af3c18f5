import type { PolicyRule } from '../../../platform/policy/policy-rule.js';
import { ADMIN, apiRule, PROJECT_MEMBER_OR_ADMIN, PROJECT_READER_OR_ADMIN } from './base-rules.js';

/** Rule names of the server groups API. */
export const ServerGroupPolicy = {
  create: 'os_compute_api:os-server-groups:create',
  delete: 'os_compute_api:os-server-groups:delete',
  index: 'os_compute_api:os-server-groups:index',
  indexAllProjects: 'os_compute_api:os-server-groups:index:all_projects',
  show: 'os_compute_api:os-server-groups:show',
} as const;

/** Upstream's defaults: project members manage their groups, readers see them. */
export const serverGroupPolicies: PolicyRule[] = [
  apiRule(ServerGroupPolicy.create, PROJECT_MEMBER_OR_ADMIN, 'Create a new server group', [
    { method: 'POST', path: '/os-server-groups' },
  ]),
  apiRule(ServerGroupPolicy.delete, PROJECT_MEMBER_OR_ADMIN, 'Delete a server group', [
    { method: 'DELETE', path: '/os-server-groups/{server_group_id}' },
  ]),
  apiRule(ServerGroupPolicy.index, PROJECT_READER_OR_ADMIN, 'List all server groups', [
    { method: 'GET', path: '/os-server-groups' },
  ]),
  apiRule(ServerGroupPolicy.indexAllProjects, ADMIN, 'List all server groups for all projects', [
    { method: 'GET', path: '/os-server-groups' },
  ]),
  apiRule(ServerGroupPolicy.show, PROJECT_READER_OR_ADMIN, 'Show details of a server group', [
    { method: 'GET', path: '/os-server-groups/{server_group_id}' },
  ]),
];
