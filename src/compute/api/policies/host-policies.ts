import type { PolicyRule } from '../../../platform/policy/policy-rule.js';
import { ADMIN, ANY, apiRule } from './base-rules.js';

/** Rule names of the availability zone, services and hypervisors APIs. */
export const HostPolicy = {
  azList: 'os_compute_api:os-availability-zone:list',
  azDetail: 'os_compute_api:os-availability-zone:detail',
  servicesList: 'os_compute_api:os-services:list',
  servicesUpdate: 'os_compute_api:os-services:update',
  servicesDelete: 'os_compute_api:os-services:delete',
  hvList: 'os_compute_api:os-hypervisors:list',
  hvDetail: 'os_compute_api:os-hypervisors:list-detail',
  hvStatistics: 'os_compute_api:os-hypervisors:statistics',
  hvShow: 'os_compute_api:os-hypervisors:show',
  hvUptime: 'os_compute_api:os-hypervisors:uptime',
  hvSearch: 'os_compute_api:os-hypervisors:search',
  hvServers: 'os_compute_api:os-hypervisors:servers',
} as const;

const op = (method: string, path: string) => [{ method, path }];

/** Upstream's defaults: zone names for anyone, everything else about hosts for admins. */
export const hostPolicies: PolicyRule[] = [
  apiRule(
    HostPolicy.azList,
    ANY,
    'List availability zone information without host information',
    op('GET', '/os-availability-zone'),
  ),
  apiRule(
    HostPolicy.azDetail,
    ADMIN,
    'List detailed availability zone information with host information',
    op('GET', '/os-availability-zone/detail'),
  ),
  apiRule(
    HostPolicy.servicesList,
    ADMIN,
    'List all running Compute services in a region',
    op('GET', '/os-services'),
  ),
  apiRule(
    HostPolicy.servicesUpdate,
    ADMIN,
    'Update a Compute service',
    op('PUT', '/os-services/{service_id}'),
  ),
  apiRule(
    HostPolicy.servicesDelete,
    ADMIN,
    'Delete a Compute service',
    op('DELETE', '/os-services/{service_id}'),
  ),
  apiRule(HostPolicy.hvList, ADMIN, 'List all hypervisors', op('GET', '/os-hypervisors')),
  apiRule(
    HostPolicy.hvDetail,
    ADMIN,
    'List all hypervisors with details',
    op('GET', '/os-hypervisors/details'),
  ),
  apiRule(
    HostPolicy.hvStatistics,
    ADMIN,
    'Show summary statistics for all hypervisors',
    op('GET', '/os-hypervisors/statistics'),
  ),
  apiRule(
    HostPolicy.hvShow,
    ADMIN,
    'Show details for a hypervisor',
    op('GET', '/os-hypervisors/{hypervisor_id}'),
  ),
  apiRule(
    HostPolicy.hvUptime,
    ADMIN,
    'Show the uptime of a hypervisor',
    op('GET', '/os-hypervisors/{hypervisor_id}/uptime'),
  ),
  apiRule(
    HostPolicy.hvSearch,
    ADMIN,
    'Search hypervisor by hypervisor_hostname pattern',
    op('GET', '/os-hypervisors/{hypervisor_hostname_pattern}/search'),
  ),
  apiRule(
    HostPolicy.hvServers,
    ADMIN,
    'List all servers on hypervisors',
    op('GET', '/os-hypervisors/{hypervisor_hostname_pattern}/servers'),
  ),
];
