import { Type, type Static } from '@sinclair/typebox';
import { Versioned } from '../microversion/versioned.js';
import {
  booleanParam,
  flavorParamNonNegative,
  flavorParamPositive,
  multiParams,
  name,
  nameWithSpaces,
  nonNegativeInteger,
  querySchema,
} from '../validation/parameter-types.js';
import { isValidDescriptionPattern } from './description-pattern.js';

/** The sort keys GET /flavors accepts (rxtx_factor goes at 2.102). */
const SORT_KEYS = [
  'created_at',
  'description',
  'disabled',
  'ephemeral_gb',
  'flavorid',
  'id',
  'is_public',
  'memory_mb',
  'name',
  'root_gb',
  'rxtx_factor',
  'swap',
  'updated_at',
  'vcpu_weight',
  'vcpus',
];

/** 2.55: a description of up to 64 KiB of printable characters, or null. */
const description = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  minLength: 0,
  maxLength: 65535,
  pattern: isValidDescriptionPattern,
});

function flavorBody(nameSchema: typeof name, extra: 'v21' | 'v255' | 'v2102') {
  const rxtx = {
    rxtx_factor: Type.Optional(
      Type.Unsafe<number | string>({
        type: ['number', 'string'],
        pattern: '^[0-9]+(\\.[0-9]+)?$',
        exclusiveMinimum: 0,
        maximum: 3.40282e38,
      }),
    ),
  };
  return Type.Object(
    {
      flavor: Type.Object(
        {
          name: nameSchema,
          // Nova accepts numbers as ids and stores their string form.
          id: Type.Optional(
            Type.Unsafe<string | number | null>({
              type: ['string', 'number', 'null'],
              minLength: 1,
              maxLength: 255,
              pattern: '^(?! )[a-zA-Z0-9. _-]+(?<! )$',
            }),
          ),
          ram: flavorParamPositive,
          vcpus: flavorParamPositive,
          disk: flavorParamNonNegative,
          'OS-FLV-EXT-DATA:ephemeral': Type.Optional(flavorParamNonNegative),
          swap: Type.Optional(flavorParamNonNegative),
          ...(extra === 'v2102' ? {} : rxtx),
          'os-flavor-access:is_public': Type.Optional(booleanParam),
          ...(extra === 'v21' ? {} : { description: Type.Optional(description) }),
        },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  );
}

/** POST /flavors before 2.55 (and the legacy v2 form, whose name may carry spaces). */
const createV21 = flavorBody(name, 'v21');
/** 2.55 adds `description`. */
const createV255 = flavorBody(name, 'v255');
/** 2.102 drops `rxtx_factor`. */
const createV2102 = flavorBody(name, 'v2102');

/** The body of POST /flavors in any version. */
export type FlavorCreateBody = Static<typeof createV255>;

/** POST /flavors, by microversion. */
export const flavorCreateSchemas = new Versioned<object>([
  [['2.0', '2.0'], flavorBody(nameWithSpaces, 'v21')],
  [['2.1', '2.54'], createV21],
  [['2.55', '2.101'], createV255],
  [['2.102'], createV2102],
]);

const update = Type.Object(
  { flavor: Type.Object({ description }, { additionalProperties: false }) },
  { additionalProperties: false },
);

/** The body of PUT /flavors/{id} (2.55). */
export type FlavorUpdateBody = Static<typeof update>;

/** PUT /flavors/{id}, which exists from 2.55. */
export const flavorUpdateSchemas = new Versioned<object>([[['2.55'], update]]);

function listQuery(additional: boolean, v2102: boolean): object {
  return querySchema(
    {
      limit: multiParams(nonNegativeInteger),
      marker: multiParams(),
      is_public: multiParams(),
      minRam: multiParams(),
      minDisk: multiParams(),
      sort_key: multiParams({
        type: 'string',
        enum: v2102 ? SORT_KEYS.filter((k) => k !== 'rxtx_factor') : SORT_KEYS,
      }),
      sort_dir: multiParams({ type: 'string', enum: ['asc', 'desc'] }),
      ...(v2102 ? { name: multiParams() } : {}),
    },
    additional,
  );
}

/** GET /flavors and /flavors/detail query strings: open until 2.75, `name` at 2.102. */
export const flavorListQueries = new Versioned<object>([
  [['2.0', '2.74'], listQuery(true, false)],
  [['2.75', '2.101'], listQuery(false, false)],
  [['2.102'], listQuery(false, true)],
]);

/** Query strings of routes that take no parameters: ignored until 2.102, then rejected. */
export const noParamsQueries = new Versioned<object>([
  [['2.0', '2.101'], querySchema({}, true)],
  [['2.102'], querySchema({}, false)],
]);
