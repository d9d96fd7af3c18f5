import { Type, type TSchema } from '@sinclair/typebox';

/**
 * Nova's shared request parameter types (nova/api/validation/parameter_types.py) as TypeBox
 * schemas, so handlers get static types from the same objects ajv validates. Several accept a
 * number or its string form, as upstream does.
 */

/** Upstream's boolean: JSON booleans or the strings oslo's bool_from_string knows. */
export const booleanParam = Type.Unsafe<boolean | string>({
  type: ['boolean', 'string'],
  enum: [
    true,
    'True',
    'TRUE',
    'true',
    '1',
    'ON',
    'On',
    'on',
    'YES',
    'Yes',
    'yes',
    false,
    'False',
    'FALSE',
    'false',
    '0',
    'OFF',
    'Off',
    'off',
    'NO',
    'No',
    'no',
  ],
});

/** A positive integer, or its digits as a string. */
export const positiveInteger = Type.Unsafe<number | string>({
  type: ['integer', 'string'],
  pattern: '^[0-9]*$',
  minimum: 1,
  minLength: 1,
});

/** A non-negative integer, or its digits as a string. */
export const nonNegativeInteger = Type.Unsafe<number | string>({
  type: ['integer', 'string'],
  pattern: '^[0-9]*$',
  minimum: 0,
  minLength: 1,
});

/** A flavor size that must be ≥ 1 (ram, vcpus), up to the database's MAX_INT. */
export const flavorParamPositive = Type.Unsafe<number | string>({
  type: ['integer', 'string'],
  pattern: '^[0-9]+$',
  minimum: 1,
  maximum: 0x7fffffff,
});

/** A flavor size that may be 0 (disk, ephemeral, swap). */
export const flavorParamNonNegative = Type.Unsafe<number | string>({
  type: ['integer', 'string'],
  pattern: '^[0-9]+$',
  minimum: 0,
  maximum: 0x7fffffff,
});

/** A resource name: printable, no leading or trailing whitespace, 1–255 characters. */
export const name = Type.String({ format: 'name', minLength: 1, maxLength: 255 });

/** A name that may have leading/trailing spaces (legacy v2, stripped by the handler). */
export const nameWithSpaces = Type.String({
  format: 'name_with_leading_trailing_spaces',
  minLength: 1,
  maxLength: 255,
});

/** An availability zone name: as a name, without colons. */
export const azName = Type.String({ format: 'az_name', minLength: 1, maxLength: 255 });

/** An availability zone name with spaces allowed around it (legacy v2). */
export const azNameWithSpaces = Type.String({
  format: 'az_name_with_leading_trailing_spaces',
  minLength: 1,
  maxLength: 255,
});

/** A host name as the services table holds it (underscores allowed, as upstream). */
export const fqdn = Type.String({ pattern: '^[a-zA-Z0-9-._]*$', minLength: 1, maxLength: 255 });

/** A string of 1–255 characters, used for tenant ids and reasons. */
export const shortString = Type.String({ minLength: 1, maxLength: 255 });

/** Metadata keys Nova accepts, with string values of up to 255 characters. */
export const METADATA_KEY = '^[a-zA-Z0-9-_:. ]{1,255}$';

/** Metadata whose values may be null (null deletes the key). */
export const metadataWithNull = Type.Unsafe<Record<string, string | null>>({
  type: 'object',
  patternProperties: { [METADATA_KEY]: { type: ['string', 'null'], maxLength: 255 } },
  additionalProperties: false,
});

/** Any value of a repeatable query parameter: a list of strings. */
export function multiParams(item: TSchema | Record<string, unknown> = { type: 'string' }) {
  return { type: 'array', items: item } as const;
}

/** A query parameter that may be given once only. */
export function singleParam(item: TSchema | Record<string, unknown> = { type: 'string' }) {
  return { type: 'array', items: item, maxItems: 1 } as const;
}

/** A query schema: the named parameters, and whether others are allowed (and dropped). */
export function querySchema(
  properties: Record<string, unknown>,
  additionalProperties: boolean,
): object {
  return { type: 'object', properties, additionalProperties };
}

/** The `limit` and `marker` parameters of paged listings. */
export const paginationParams = {
  limit: multiParams(nonNegativeInteger),
  marker: multiParams(),
};
