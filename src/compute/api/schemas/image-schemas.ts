import { Versioned } from '../microversion/versioned.js';
import { METADATA_KEY, multiParams, positiveInteger } from '../validation/parameter-types.js';

/** GET /images and /images/detail: Glance filters, `property-*`, paging; extras dropped. */
export const imageListQueries = Versioned.always<object>({
  type: 'object',
  properties: {
    name: {},
    status: {},
    'changes-since': {},
    server: {},
    type: {},
    minRam: {},
    minDisk: {},
    limit: multiParams(positiveInteger),
    page_size: multiParams(positiveInteger),
    marker: {},
    offset: multiParams(positiveInteger),
  },
  patternProperties: { '^property-.*$': {} },
  additionalProperties: true,
});

const metadata = {
  type: 'object',
  patternProperties: { [METADATA_KEY]: { type: 'string', maxLength: 255 } },
  additionalProperties: false,
};

/** POST and PUT /images/{id}/metadata. */
export const imageMetadataSchemas = Versioned.always<object>({
  type: 'object',
  properties: { metadata },
  required: ['metadata'],
  additionalProperties: false,
});

/** PUT /images/{id}/metadata/{key}: exactly one item. */
export const imageMetaItemSchemas = Versioned.always<object>({
  type: 'object',
  properties: { meta: { ...metadata, minProperties: 1, maxProperties: 1 } },
  required: ['meta'],
  additionalProperties: false,
});
