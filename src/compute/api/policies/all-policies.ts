import type { PolicyRule } from '../../../platform/policy/policy-rule.js';
import { aggregatePolicies } from './aggregate-policies.js';
import { baseRules } from './base-rules.js';
import { flavorPolicies } from './flavor-policies.js';
import { hostPolicies } from './host-policies.js';
import { keypairPolicies } from './keypair-policies.js';
import { quotaPolicies } from './quota-policies.js';
import { serverGroupPolicies } from './server-group-policies.js';
import { usagePolicies } from './usage-policies.js';
import { serverPolicies } from '../servers/server-policies.js';

/** Every policy default of the compute API. */
export function allPolicies(): PolicyRule[] {
  return [
    ...baseRules,
    ...flavorPolicies,
    ...keypairPolicies,
    ...quotaPolicies,
    ...hostPolicies,
    ...aggregatePolicies,
    ...serverGroupPolicies,
    ...usagePolicies,
    ...serverPolicies,
  ];
}
