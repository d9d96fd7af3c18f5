import type { PolicyRule } from '../../../platform/policy/policy-rule.js';
import { ADMIN, apiRule } from './base-rules.js';

/** Rule names of the aggregates API. */
export const AggregatePolicy = {
  setMetadata: 'os_compute_api:os-aggregates:set_metadata',
  addHost: 'os_compute_api:os-aggregates:add_host',
  create: 'os_compute_api:os-aggregates:create',
  removeHost: 'os_compute_api:os-aggregates:remove_host',
  update: 'os_compute_api:os-aggregates:update',
  index: 'os_compute_api:os-aggregates:index',
  delete: 'os_compute_api:os-aggregates:delete',
  show: 'os_compute_api:os-aggregates:show',
  images: 'compute:aggregates:images',
} as const;

const base = '/os-aggregates/{aggregate_id}';

/** Upstream's defaults: aggregates are for admins. */
export const aggregatePolicies: PolicyRule[] = [
  apiRule(AggregatePolicy.setMetadata, ADMIN, 'Create or replace metadata for an aggregate', [
    { method: 'POST', path: `${base}/action (set_metadata)` },
  ]),
  apiRule(AggregatePolicy.addHost, ADMIN, 'Add a host to an aggregate', [
    { method: 'POST', path: `${base}/action (add_host)` },
  ]),
  apiRule(AggregatePolicy.create, ADMIN, 'Create an aggregate', [
    { method: 'POST', path: '/os-aggregates' },
  ]),
  apiRule(AggregatePolicy.removeHost, ADMIN, 'Remove a host from an aggregate', [
    { method: 'POST', path: `${base}/action (remove_host)` },
  ]),
  apiRule(AggregatePolicy.update, ADMIN, 'Update name and/or availability zone for an aggregate', [
    { method: 'PUT', path: base },
  ]),
  apiRule(AggregatePolicy.index, ADMIN, 'List all aggregates', [
    { method: 'GET', path: '/os-aggregates' },
  ]),
  apiRule(AggregatePolicy.delete, ADMIN, 'Delete an aggregate', [{ method: 'DELETE', path: base }]),
  apiRule(AggregatePolicy.show, ADMIN, 'Show details for an aggregate', [
    { method: 'GET', path: base },
  ]),
  apiRule(AggregatePolicy.images, ADMIN, 'Request image caching for an aggregate', [
    { method: 'POST', path: `${base}/images` },
  ]),
];
