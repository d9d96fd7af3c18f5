import type { PolicyRule } from '../../platform/policy/policy-rule.js';

// Glance's composite check strings (glance/policies/base.py), built the same way.
const ADMIN = 'rule:context_is_admin';
const PROJECT_MEMBER = 'role:member and project_id:%(project_id)s';
const PROJECT_READER = 'role:reader and project_id:%(project_id)s';
const IMAGE_MEMBER_CHECK = 'project_id:%(member_id)s';
const COMMUNITY = "'community':%(visibility)s";
const PUBLIC = "'public':%(visibility)s";
const SHARED = "'shared':%(visibility)s";
const ANY_VISIBLE = `project_id:%(project_id)s or ${IMAGE_MEMBER_CHECK} or ${COMMUNITY} or ${PUBLIC} or ${SHARED}`;

const ADMIN_OR_PROJECT_MEMBER = `${ADMIN} or (${PROJECT_MEMBER})`;
const ADMIN_OR_PROJECT_READER = `${ADMIN} or (${PROJECT_READER})`;
const ADMIN_OR_PROJECT_READER_GET_IMAGE = `${ADMIN} or (role:reader and (${ANY_VISIBLE}))`;
const ADMIN_OR_PROJECT_MEMBER_DOWNLOAD_IMAGE = `${ADMIN} or (role:member and (${ANY_VISIBLE}))`;
const ADMIN_OR_PROJECT_MEMBER_CREATE_IMAGE = `${ADMIN} or (${PROJECT_MEMBER} and project_id:%(owner)s)`;
const ADMIN_OR_SHARED_MEMBER = `${ADMIN} or (role:member and ${IMAGE_MEMBER_CHECK})`;
const ADMIN_OR_PROJECT_READER_OR_SHARED_MEMBER = `${ADMIN} or role:reader and (project_id:%(project_id)s or ${IMAGE_MEMBER_CHECK})`;

const project = ['project'] as const;

function rule(
  name: string,
  checkStr: string,
  description: string,
  method?: string,
  path?: string,
): PolicyRule {
  return {
    name,
    checkStr,
    description,
    scopeTypes: [...project],
    ...(method && path ? { operations: [{ method, path }] } : {}),
  };
}

/** The image API's policy defaults, with Glance's names and (new-defaults) check strings. */
export const IMAGE_POLICIES: readonly PolicyRule[] = [
  {
    name: 'default',
    checkStr: '',
    description: 'Rule used for policies not otherwise defined.',
  },
  {
    name: 'context_is_admin',
    checkStr: 'role:admin',
    description: 'Defines the rule for the is_admin:True check.',
  },
  {
    name: 'service_api',
    checkStr: 'role:service or role:admin',
    description: 'Default rule for the service-to-service API.',
  },
  rule('add_image', ADMIN_OR_PROJECT_MEMBER_CREATE_IMAGE, 'Create new image', 'POST', '/v2/images'),
  rule(
    'delete_image',
    ADMIN_OR_PROJECT_MEMBER,
    'Deletes the image',
    'DELETE',
    '/v2/images/{image_id}',
  ),
  rule(
    'get_image',
    ADMIN_OR_PROJECT_READER_GET_IMAGE,
    'Get specified image',
    'GET',
    '/v2/images/{image_id}',
  ),
  rule('get_images', ADMIN_OR_PROJECT_READER, 'Get all available images', 'GET', '/v2/images'),
  rule(
    'modify_image',
    ADMIN_OR_PROJECT_MEMBER,
    'Updates given image',
    'PATCH',
    '/v2/images/{image_id}',
  ),
  rule('publicize_image', ADMIN, 'Publicize given image', 'PATCH', '/v2/images/{image_id}'),
  rule(
    'communitize_image',
    ADMIN_OR_PROJECT_MEMBER,
    'Communitize given image',
    'PATCH',
    '/v2/images/{image_id}',
  ),
  rule(
    'download_image',
    ADMIN_OR_PROJECT_MEMBER_DOWNLOAD_IMAGE,
    'Downloads given image',
    'GET',
    '/v2/images/{image_id}/file',
  ),
  rule(
    'upload_image',
    ADMIN_OR_PROJECT_MEMBER,
    'Uploads data to specified image',
    'PUT',
    '/v2/images/{image_id}/file',
  ),
  rule(
    'add_member',
    ADMIN_OR_PROJECT_MEMBER,
    'Create image member',
    'POST',
    '/v2/images/{image_id}/members',
  ),
  rule(
    'delete_member',
    ADMIN_OR_PROJECT_MEMBER,
    'Delete image member',
    'DELETE',
    '/v2/images/{image_id}/members/{member_id}',
  ),
  rule(
    'get_member',
    ADMIN_OR_PROJECT_READER_OR_SHARED_MEMBER,
    'Show image member details',
    'GET',
    '/v2/images/{image_id}/members/{member_id}',
  ),
  rule(
    'get_members',
    ADMIN_OR_PROJECT_READER_OR_SHARED_MEMBER,
    'List image members',
    'GET',
    '/v2/images/{image_id}/members',
  ),
  rule(
    'modify_member',
    ADMIN_OR_SHARED_MEMBER,
    'Update image member',
    'PUT',
    '/v2/images/{image_id}/members/{member_id}',
  ),
  rule(
    'deactivate',
    ADMIN_OR_PROJECT_MEMBER,
    'Deactivate image',
    'POST',
    '/v2/images/{image_id}/actions/deactivate',
  ),
  rule(
    'reactivate',
    ADMIN_OR_PROJECT_MEMBER,
    'Reactivate image',
    'POST',
    '/v2/images/{image_id}/actions/reactivate',
  ),
];
