import { Versioned } from '../microversion/versioned.js';
import { booleanParam, multiParams, querySchema } from '../validation/parameter-types.js';
import {
  NETWORK_QUOTAS,
  PERSONALITY_QUOTAS,
  QUOTA_RESOURCE_NAMES,
} from '../quota/quota-resources.js';

/** A limit: an integer (or its string) from -1 (unlimited) to the database's MAX_INT. */
const limit = {
  type: ['integer', 'string'],
  pattern: '^-?[0-9]+$',
  minimum: -1,
  maximum: 0x7fffffff,
};

function limits(
  exclude: readonly string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const name of QUOTA_RESOURCE_NAMES) if (!exclude.includes(name)) props[name] = limit;
  return { ...props, ...extra };
}

function wrapped(key: string, properties: Record<string, unknown>): object {
  return {
    type: 'object',
    properties: { [key]: { type: 'object', properties, additionalProperties: false } },
    required: [key],
    additionalProperties: false,
  };
}

/** The body of PUT /os-quota-sets/{project}: limits and `force`. */
export interface QuotaSetBody {
  quota_set: Record<string, number | string | boolean | null>;
}

/** PUT /os-quota-sets/{project}: network quotas go at 2.36, personality at 2.57. */
export const quotaSetUpdateSchemas = new Versioned<object>([
  [['2.0', '2.35'], wrapped('quota_set', limits([], { force: booleanParam }))],
  [['2.36', '2.56'], wrapped('quota_set', limits(NETWORK_QUOTAS, { force: booleanParam }))],
  [
    ['2.57'],
    wrapped(
      'quota_set',
      limits([...NETWORK_QUOTAS, ...PERSONALITY_QUOTAS], { force: booleanParam }),
    ),
  ],
]);

/** The body of PUT /os-quota-class-sets/{class}. */
export interface QuotaClassSetBody {
  quota_class_set: Record<string, number | string>;
}

/** PUT /os-quota-class-sets/{class}: network quotas go at 2.50, personality at 2.57. */
export const quotaClassUpdateSchemas = new Versioned<object>([
  [['2.1', '2.49'], wrapped('quota_class_set', limits([]))],
  [['2.50', '2.56'], wrapped('quota_class_set', limits(NETWORK_QUOTAS))],
  [['2.57'], wrapped('quota_class_set', limits([...NETWORK_QUOTAS, ...PERSONALITY_QUOTAS]))],
]);

/** Query strings of the quota set routes that take `user_id`. */
export const quotaUserQueries = new Versioned<object>([
  [['2.0', '2.74'], querySchema({ user_id: multiParams() }, true)],
  [['2.75'], querySchema({ user_id: multiParams() }, false)],
]);

/** GET /limits: `tenant_id` (admins), strict from 2.75. */
export const limitsQueries = new Versioned<object>([
  [['2.0', '2.74'], querySchema({ tenant_id: multiParams() }, true)],
  [['2.75'], querySchema({ tenant_id: multiParams() }, false)],
]);
