import type { PolicyRule } from '../../../platform/policy/policy-rule.js';
import { ADMIN, apiRule } from './base-rules.js';

/** Rule names of the key pair API. */
export const KeypairPolicy = {
  index: 'os_compute_api:os-keypairs:index',
  create: 'os_compute_api:os-keypairs:create',
  delete: 'os_compute_api:os-keypairs:delete',
  show: 'os_compute_api:os-keypairs:show',
} as const;

const OWNER = `(${ADMIN}) or user_id:%(user_id)s`;

/** Upstream's defaults: a user's own key pairs, or anyone's for admins. */
export const keypairPolicies: PolicyRule[] = [
  apiRule(KeypairPolicy.index, OWNER, 'List all keypairs', [
    { method: 'GET', path: '/os-keypairs' },
  ]),
  apiRule(KeypairPolicy.create, OWNER, 'Create a keypair', [
    { method: 'POST', path: '/os-keypairs' },
  ]),
  apiRule(KeypairPolicy.delete, OWNER, 'Delete a keypair', [
    { method: 'DELETE', path: '/os-keypairs/{keypair_name}' },
  ]),
  apiRule(KeypairPolicy.show, OWNER, 'Show details of a keypair', [
    { method: 'GET', path: '/os-keypairs/{keypair_name}' },
  ]),
];
