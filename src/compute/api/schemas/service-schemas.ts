import { Versioned } from '../microversion/versioned.js';
import {
  booleanParam,
  fqdn,
  multiParams,
  querySchema,
  shortString,
} from '../validation/parameter-types.js';

const hostBinary = { host: fqdn, binary: shortString, disabled_reason: shortString };

/** PUT /os-services/{action} before 2.53 and PUT /os-services/{uuid} from 2.53. */
export const serviceUpdateSchemas = new Versioned<object>([
  [
    ['2.0', '2.10'],
    {
      type: 'object',
      properties: hostBinary,
      required: ['host', 'binary'],
      additionalProperties: false,
    },
  ],
  [
    ['2.11', '2.52'],
    {
      type: 'object',
      properties: { ...hostBinary, forced_down: booleanParam },
      required: ['host', 'binary'],
      additionalProperties: false,
    },
  ],
  [
    ['2.53'],
    {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['enabled', 'disabled'] },
        disabled_reason: shortString,
        forced_down: booleanParam,
      },
      additionalProperties: false,
    },
  ],
]);

/** The body of a service update in any version. */
export interface ServiceUpdateBody {
  host?: string;
  binary?: string;
  disabled_reason?: string;
  forced_down?: boolean | string;
  status?: 'enabled' | 'disabled';
}

/** GET /os-services: `host` and `binary` filters, strict from 2.75. */
export const serviceListQueries = new Versioned<object>([
  [['2.0', '2.74'], querySchema({ host: multiParams(), binary: multiParams() }, true)],
  [['2.75'], querySchema({ host: multiParams(), binary: multiParams() }, false)],
]);
