import { Versioned } from '../microversion/versioned.js';
import {
  multiParams,
  name,
  nonNegativeInteger,
  positiveInteger,
  querySchema,
} from '../validation/parameter-types.js';

function withPolicies(policies: string[]): object {
  return {
    type: 'object',
    properties: {
      server_group: {
        type: 'object',
        properties: {
          name,
          // A single policy, as a one-item list until 2.64.
          policies: {
            type: 'array',
            prefixItems: [{ type: 'string', enum: policies }],
            uniqueItems: true,
            minItems: 1,
            maxItems: 1,
          },
        },
        required: ['name', 'policies'],
        additionalProperties: false,
      },
    },
    required: ['server_group'],
    additionalProperties: false,
  };
}

const ALL = ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity'];

/** POST /os-server-groups: soft policies at 2.15; `policy` and `rules` replace `policies` at 2.64. */
export const serverGroupCreateSchemas = new Versioned<object>([
  [['2.0', '2.14'], withPolicies(['anti-affinity', 'affinity'])],
  [['2.15', '2.63'], withPolicies(ALL)],
  [
    ['2.64'],
    {
      type: 'object',
      properties: {
        server_group: {
          type: 'object',
          properties: {
            name,
            policy: { type: 'string', enum: ALL },
            rules: {
              type: 'object',
              properties: { max_server_per_host: positiveInteger },
              additionalProperties: false,
            },
          },
          required: ['name', 'policy'],
          additionalProperties: false,
        },
      },
      required: ['server_group'],
      additionalProperties: false,
    },
  ],
]);

/** The body of POST /os-server-groups in any version. */
export interface ServerGroupCreateBody {
  server_group: {
    name: string;
    policies?: string[];
    policy?: string;
    rules?: { max_server_per_host?: number | string };
  };
}

const listParams = {
  all_projects: multiParams(),
  limit: multiParams(nonNegativeInteger),
  offset: multiParams(nonNegativeInteger),
};

/** GET /os-server-groups: all_projects (admins), limit and offset; strict from 2.75. */
export const serverGroupListQueries = new Versioned<object>([
  [['2.0', '2.74'], querySchema(listParams, true)],
  [['2.75'], querySchema(listParams, false)],
]);
