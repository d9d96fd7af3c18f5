import type { PolicyRule } from '../../platform/policy/policy-rule.js';
import { actorPolicies } from './actor-policies.js';
import { appCredPolicies } from './app-cred-policies.js';
import { basePolicies } from './base-policies.js';
import { catalogPolicies } from './catalog-policies.js';
import { resourcePolicies } from './resource-policies.js';
import { rolePolicies } from './role-policies.js';
import { tokenPolicies } from './token-policies.js';

/** Every policy default of the identity API, as keystone registers them. */
export function identityPolicies(): PolicyRule[] {
  return [
    ...basePolicies,
    ...tokenPolicies,
    ...resourcePolicies,
    ...actorPolicies,
    ...rolePolicies,
    ...appCredPolicies,
    ...catalogPolicies,
  ];
}
