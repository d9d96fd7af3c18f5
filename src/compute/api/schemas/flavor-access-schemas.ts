import { Versioned } from '../microversion/versioned.js';

function tenantAction(action: string): object {
  return {
    type: 'object',
    properties: {
      [action]: {
        type: 'object',
        properties: { tenant: { type: 'string', minLength: 1, maxLength: 255 } },
        required: ['tenant'],
        additionalProperties: false,
      },
    },
    required: [action],
    additionalProperties: false,
  };
}

/** POST /flavors/{id}/action with addTenantAccess. */
export const addTenantAccessSchemas = Versioned.always(tenantAction('addTenantAccess'));
/** POST /flavors/{id}/action with removeTenantAccess. */
export const removeTenantAccessSchemas = Versioned.always(tenantAction('removeTenantAccess'));

/** The body of either access action. */
export type TenantAccessBody = Record<string, { tenant: string }>;
