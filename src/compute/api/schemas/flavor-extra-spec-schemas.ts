import { Versioned } from '../microversion/versioned.js';
import { METADATA_KEY } from '../validation/parameter-types.js';

/** Extra specs: metadata keys with string or (as upstream allows) number values. */
const specs = {
  type: 'object',
  patternProperties: { [METADATA_KEY]: { type: ['string', 'number'], maxLength: 255 } },
  additionalProperties: false,
};

/** POST /flavors/{id}/os-extra_specs. */
export const extraSpecsCreateSchemas = Versioned.always<object>({
  type: 'object',
  properties: { extra_specs: specs },
  required: ['extra_specs'],
  additionalProperties: false,
});

/** PUT /flavors/{id}/os-extra_specs/{key}: exactly one spec. */
export const extraSpecUpdateSchemas = Versioned.always<object>({
  ...specs,
  minProperties: 1,
  maxProperties: 1,
});

/** The body of a create or update: spec names to values. */
export type ExtraSpecsBody = Record<string, string | number>;
