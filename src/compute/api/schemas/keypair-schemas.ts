import { Versioned } from '../microversion/versioned.js';
import {
  multiParams,
  name,
  nameWithSpaces,
  paginationParams,
  querySchema,
} from '../validation/parameter-types.js';

function keypairName(pattern: string): object {
  return { allOf: [name, { type: 'string', pattern, minLength: 1, maxLength: 255 }] };
}

/** Before 2.92: letters, digits, spaces, `_` and `-`. */
const NAME_V21 = keypairName('^[_\\- a-zA-Z0-9]+$');
/** 2.92 also allows `@` and `.`. */
const NAME_V292 = keypairName('^[_\\-@. a-zA-Z0-9]+$');

function create(opts: {
  name: object;
  type?: boolean;
  userId?: boolean;
  requireKey?: boolean;
}): object {
  return {
    type: 'object',
    properties: {
      keypair: {
        type: 'object',
        properties: {
          name: opts.name,
          ...(opts.type ? { type: { type: 'string', enum: ['ssh', 'x509'] } } : {}),
          public_key: { type: 'string' },
          ...(opts.userId ? { user_id: { type: 'string' } } : {}),
        },
        required: opts.requireKey ? ['name', 'public_key'] : ['name'],
        additionalProperties: false,
      },
    },
    required: ['keypair'],
    additionalProperties: false,
  };
}

/** The body of POST /os-keypairs in any version. */
export interface KeypairCreateBody {
  keypair: { name: string; type?: 'ssh' | 'x509'; public_key?: string; user_id?: string };
}

/** POST /os-keypairs: `type` at 2.2, `user_id` at 2.10, an imported key required at 2.92. */
export const keypairCreateSchemas = new Versioned<object>([
  [['2.0', '2.0'], create({ name: nameWithSpaces })],
  [['2.1', '2.1'], create({ name: NAME_V21 })],
  [['2.2', '2.9'], create({ name: NAME_V21, type: true })],
  [['2.10', '2.91'], create({ name: NAME_V21, type: true, userId: true })],
  [['2.92'], create({ name: NAME_V292, type: true, userId: true, requireKey: true })],
]);

const userIdParam = { user_id: multiParams() };

/** GET /os-keypairs: `user_id` at 2.10, paging at 2.35, strict from 2.75. */
export const keypairListQueries = new Versioned<object>([
  [['2.0', '2.9'], querySchema({}, true)],
  [['2.10', '2.34'], querySchema(userIdParam, true)],
  [['2.35', '2.74'], querySchema({ ...userIdParam, ...paginationParams }, true)],
  [['2.75'], querySchema({ ...userIdParam, ...paginationParams }, false)],
]);

/** GET and DELETE /os-keypairs/{name}: `user_id` at 2.10, strict from 2.75. */
export const keypairItemQueries = new Versioned<object>([
  [['2.0', '2.9'], querySchema({}, true)],
  [['2.10', '2.74'], querySchema(userIdParam, true)],
  [['2.75'], querySchema(userIdParam, false)],
]);
