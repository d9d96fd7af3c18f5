import type { PolicyRule } from '../../platform/policy/policy-rule.js';

const ADMIN_OR_SERVICE = 'rule:admin_or_service_api';
const project = ['project'] as 'project'[];

/** Policy rule names of the placement API (upstream's names). */
export const Policy = {
  RP_LIST: 'placement:resource_providers:list',
  RP_CREATE: 'placement:resource_providers:create',
  RP_SHOW: 'placement:resource_providers:show',
  RP_UPDATE: 'placement:resource_providers:update',
  RP_DELETE: 'placement:resource_providers:delete',
  RC_LIST: 'placement:resource_classes:list',
  RC_CREATE: 'placement:resource_classes:create',
  RC_SHOW: 'placement:resource_classes:show',
  RC_UPDATE: 'placement:resource_classes:update',
  RC_DELETE: 'placement:resource_classes:delete',
  INV_LIST: 'placement:resource_providers:inventories:list',
  INV_CREATE: 'placement:resource_providers:inventories:create',
  INV_SHOW: 'placement:resource_providers:inventories:show',
  INV_UPDATE: 'placement:resource_providers:inventories:update',
  INV_DELETE: 'placement:resource_providers:inventories:delete',
  AGG_LIST: 'placement:resource_providers:aggregates:list',
  AGG_UPDATE: 'placement:resource_providers:aggregates:update',
  PROVIDER_USAGES: 'placement:resource_providers:usages',
  TOTAL_USAGES: 'placement:usages',
  TRAITS_LIST: 'placement:traits:list',
  TRAITS_SHOW: 'placement:traits:show',
  TRAITS_UPDATE: 'placement:traits:update',
  TRAITS_DELETE: 'placement:traits:delete',
  RP_TRAIT_LIST: 'placement:resource_providers:traits:list',
  RP_TRAIT_UPDATE: 'placement:resource_providers:traits:update',
  RP_TRAIT_DELETE: 'placement:resource_providers:traits:delete',
  ALLOC_MANAGE: 'placement:allocations:manage',
  ALLOC_LIST: 'placement:allocations:list',
  ALLOC_UPDATE: 'placement:allocations:update',
  ALLOC_DELETE: 'placement:allocations:delete',
  RP_ALLOC_LIST: 'placement:resource_providers:allocations:list',
  AC_LIST: 'placement:allocation_candidates:list',
  RESHAPE: 'placement:reshaper:reshape',
} as const;

function rule(name: string, checkStr: string, description: string, method: string, path: string) {
  return { name, checkStr, description, scopeTypes: project, operations: [{ method, path }] };
}

/**
 * Upstream placement's policy defaults: almost everything needs the admin or service role in a
 * project-scoped token; project readers may see their own project's usages; only the service
 * role may reshape.
 */
export function placementPolicyRules(): PolicyRule[] {
  const rp = '/resource_providers/{uuid}';
  return [
    {
      name: 'admin_api',
      checkStr: 'role:admin',
      description: 'Default rule for most placement APIs.',
      scopeTypes: project,
    },
    {
      name: 'service_api',
      checkStr: 'role:service',
      description: 'Default rule for service-to-service placement APIs.',
      scopeTypes: project,
    },
    {
      name: 'admin_or_service_api',
      checkStr: 'role:admin or role:service',
      description: 'Default rule for most placement APIs.',
      scopeTypes: project,
    },
    {
      name: 'project_reader_api',
      checkStr: 'role:reader and project_id:%(project_id)s',
      description: 'Default rule for Project level reader APIs.',
    },
    {
      name: 'admin_or_project_reader_or_service_api',
      checkStr: 'role:admin or rule:project_reader_api or role:service',
      description: 'Default rule for project level reader APIs.',
      scopeTypes: project,
    },
    rule(
      Policy.RP_LIST,
      ADMIN_OR_SERVICE,
      'List resource providers.',
      'GET',
      '/resource_providers',
    ),
    rule(
      Policy.RP_CREATE,
      ADMIN_OR_SERVICE,
      'Create resource provider.',
      'POST',
      '/resource_providers',
    ),
    rule(Policy.RP_SHOW, ADMIN_OR_SERVICE, 'Show resource provider.', 'GET', rp),
    rule(Policy.RP_UPDATE, ADMIN_OR_SERVICE, 'Update resource provider.', 'PUT', rp),
    rule(Policy.RP_DELETE, ADMIN_OR_SERVICE, 'Delete resource provider.', 'DELETE', rp),
    rule(Policy.RC_LIST, ADMIN_OR_SERVICE, 'List resource classes.', 'GET', '/resource_classes'),
    rule(Policy.RC_CREATE, ADMIN_OR_SERVICE, 'Create resource class.', 'POST', '/resource_classes'),
    rule(
      Policy.RC_SHOW,
      ADMIN_OR_SERVICE,
      'Show resource class.',
      'GET',
      '/resource_classes/{name}',
    ),
    rule(
      Policy.RC_UPDATE,
      ADMIN_OR_SERVICE,
      'Update resource class.',
      'PUT',
      '/resource_classes/{name}',
    ),
    rule(
      Policy.RC_DELETE,
      ADMIN_OR_SERVICE,
      'Delete resource class.',
      'DELETE',
      '/resource_classes/{name}',
    ),
    rule(
      Policy.INV_LIST,
      ADMIN_OR_SERVICE,
      'List resource provider inventories.',
      'GET',
      `${rp}/inventories`,
    ),
    rule(
      Policy.INV_CREATE,
      ADMIN_OR_SERVICE,
      'Create one resource provider inventory.',
      'POST',
      `${rp}/inventories`,
    ),
    rule(
      Policy.INV_SHOW,
      ADMIN_OR_SERVICE,
      'Show resource provider inventory.',
      'GET',
      `${rp}/inventories/{resource_class}`,
    ),
    rule(
      Policy.INV_UPDATE,
      ADMIN_OR_SERVICE,
      'Update resource provider inventory.',
      'PUT',
      `${rp}/inventories`,
    ),
    rule(
      Policy.INV_DELETE,
      ADMIN_OR_SERVICE,
      'Delete resource provider inventory.',
      'DELETE',
      `${rp}/inventories`,
    ),
    rule(
      Policy.AGG_LIST,
      ADMIN_OR_SERVICE,
      'List resource provider aggregates.',
      'GET',
      `${rp}/aggregates`,
    ),
    rule(
      Policy.AGG_UPDATE,
      ADMIN_OR_SERVICE,
      'Update resource provider aggregates.',
      'PUT',
      `${rp}/aggregates`,
    ),
    rule(
      Policy.PROVIDER_USAGES,
      ADMIN_OR_SERVICE,
      'List resource provider usages.',
      'GET',
      `${rp}/usages`,
    ),
    // Upstream: an admin may see any project's usages, a project reader only its own.
    rule(
      Policy.TOTAL_USAGES,
      'rule:admin_or_project_reader_or_service_api',
      'List total resource usages for a given project.',
      'GET',
      '/usages',
    ),
    rule(Policy.TRAITS_LIST, ADMIN_OR_SERVICE, 'List traits.', 'GET', '/traits'),
    rule(Policy.TRAITS_SHOW, ADMIN_OR_SERVICE, 'Show trait.', 'GET', '/traits/{name}'),
    rule(Policy.TRAITS_UPDATE, ADMIN_OR_SERVICE, 'Update trait.', 'PUT', '/traits/{name}'),
    rule(Policy.TRAITS_DELETE, ADMIN_OR_SERVICE, 'Delete trait.', 'DELETE', '/traits/{name}'),
    rule(
      Policy.RP_TRAIT_LIST,
      ADMIN_OR_SERVICE,
      'List resource provider traits.',
      'GET',
      `${rp}/traits`,
    ),
    rule(
      Policy.RP_TRAIT_UPDATE,
      ADMIN_OR_SERVICE,
      'Update resource provider traits.',
      'PUT',
      `${rp}/traits`,
    ),
    rule(
      Policy.RP_TRAIT_DELETE,
      ADMIN_OR_SERVICE,
      'Delete resource provider traits.',
      'DELETE',
      `${rp}/traits`,
    ),
    rule(Policy.ALLOC_MANAGE, ADMIN_OR_SERVICE, 'Manage allocations.', 'POST', '/allocations'),
    rule(
      Policy.ALLOC_LIST,
      ADMIN_OR_SERVICE,
      'List allocations.',
      'GET',
      '/allocations/{consumer_uuid}',
    ),
    rule(
      Policy.ALLOC_UPDATE,
      ADMIN_OR_SERVICE,
      'Update allocations.',
      'PUT',
      '/allocations/{consumer_uuid}',
    ),
    rule(
      Policy.ALLOC_DELETE,
      ADMIN_OR_SERVICE,
      'Delete allocations.',
      'DELETE',
      '/allocations/{consumer_uuid}',
    ),
    rule(
      Policy.RP_ALLOC_LIST,
      ADMIN_OR_SERVICE,
      'List resource provider allocations.',
      'GET',
      `${rp}/allocations`,
    ),
    rule(
      Policy.AC_LIST,
      ADMIN_OR_SERVICE,
      'List allocation candidates.',
      'GET',
      '/allocation_candidates',
    ),
    rule(
      Policy.RESHAPE,
      'rule:service_api',
      'Reshape Inventory and Allocations.',
      'POST',
      '/reshaper',
    ),
  ];
}
