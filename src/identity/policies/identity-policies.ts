import type { PolicyRule } from '../../platform/policy/policy-rule.js';
import { basePolicies } from './base-policies.js';
import { tokenPolicies } from './token-policies.js';

/** Every policy default of the identity API, as keystone registers them. */
export function identityPolicies(): PolicyRule[] {
  return [...basePolicies, ...tokenPolicies];
}
