import { Versioned } from '../microversion/versioned.js';
import {
  azName,
  azNameWithSpaces,
  fqdn,
  metadataWithNull,
  name,
  nameWithSpaces,
} from '../validation/parameter-types.js';

const orNull = (s: object) => ({ oneOf: [s, { type: 'null' }] });

function create(nameSchema: object, az: object): object {
  return {
    type: 'object',
    properties: {
      aggregate: {
        type: 'object',
        properties: { name: nameSchema, availability_zone: orNull(az) },
        required: ['name'],
        additionalProperties: false,
      },
    },
    required: ['aggregate'],
    additionalProperties: false,
  };
}

function update(az: object): object {
  return {
    type: 'object',
    properties: {
      aggregate: {
        type: 'object',
        properties: { name: nameWithSpaces, availability_zone: orNull(az) },
        additionalProperties: false,
        anyOf: [{ required: ['name'] }, { required: ['availability_zone'] }],
      },
    },
    required: ['aggregate'],
    additionalProperties: false,
  };
}

function hostAction(action: string): object {
  return {
    type: 'object',
    properties: {
      [action]: {
        type: 'object',
        properties: { host: fqdn },
        required: ['host'],
        additionalProperties: false,
      },
    },
    required: [action],
    additionalProperties: false,
  };
}

/** POST /os-aggregates (the legacy v2 form allows surrounding spaces). */
export const aggregateCreateSchemas = new Versioned<object>([
  [['2.0', '2.0'], create(nameWithSpaces, azNameWithSpaces)],
  [['2.1'], create(name, azName)],
]);

/** PUT /os-aggregates/{id}. */
export const aggregateUpdateSchemas = new Versioned<object>([
  [['2.0', '2.0'], update(azNameWithSpaces)],
  [['2.1'], update(azName)],
]);

/** The add_host action. */
export const addHostSchemas = Versioned.always(hostAction('add_host'));
/** The remove_host action. */
export const removeHostSchemas = Versioned.always(hostAction('remove_host'));
/** The set_metadata action: null values delete keys. */
export const setMetadataSchemas = Versioned.always<object>({
  type: 'object',
  properties: {
    set_metadata: {
      type: 'object',
      properties: { metadata: metadataWithNull },
      required: ['metadata'],
      additionalProperties: false,
    },
  },
  required: ['set_metadata'],
  additionalProperties: false,
});

/** POST /os-aggregates/{id}/images (2.81): images to pre-cache on the aggregate's hosts. */
export const aggregateImagesSchemas = new Versioned<object>([
  [
    ['2.81'],
    {
      type: 'object',
      properties: {
        cache: {
          type: ['array'],
          minItems: 1,
          items: {
            type: 'object',
            properties: { id: { type: 'string', format: 'uuid' } },
            additionalProperties: false,
            required: ['id'],
          },
        },
      },
      required: ['cache'],
      additionalProperties: false,
    },
  ],
]);

/** Bodies of the aggregate requests. */
export interface AggregateBodies {
  create: { aggregate: { name: string; availability_zone?: string | null } };
  update: { aggregate: { name?: string; availability_zone?: string | null } };
  host: Record<string, { host: string }>;
  metadata: { set_metadata: { metadata: Record<string, string | null> } };
  images: { cache: { id: string }[] };
}
