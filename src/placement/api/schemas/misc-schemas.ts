import { Type } from '@sinclair/typebox';
import { CONSUMER_TYPE_PATTERN, CUSTOM_PATTERN } from './common.js';

const aggregateList = Type.Array(Type.String({ format: 'uuid' }), { uniqueItems: true });

/** PUT /resource_providers/{uuid}/aggregates before 1.19: a bare list. */
export const PutAggregates = aggregateList;

/** PUT /resource_providers/{uuid}/aggregates from 1.19. */
export const PutAggregates119 = Type.Object(
  { aggregates: aggregateList, resource_provider_generation: Type.Integer() },
  { additionalProperties: false },
);

/** A trait name as PUT /resource_providers/{uuid}/traits accepts it. */
export const TraitName = Type.String({ minLength: 1, maxLength: 255 });

/** A custom trait name (PUT /traits/{name}). */
export const CustomTraitName = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: CUSTOM_PATTERN,
});

/** PUT /resource_providers/{uuid}/traits. */
export const PutProviderTraits = Type.Object(
  { traits: Type.Array(TraitName), resource_provider_generation: Type.Integer() },
  { additionalProperties: false },
);

/** The query of GET /traits. */
export const ListTraitsQuery = Type.Object(
  { name: Type.Optional(Type.String()), associated: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

/** POST /resource_classes and PUT /resource_classes/{name} (1.2 to 1.6). */
export const ResourceClassBody = Type.Object(
  { name: Type.String({ pattern: CUSTOM_PATTERN, maxLength: 255 }) },
  { additionalProperties: false },
);

const usageBase = {
  project_id: Type.String({ minLength: 1, maxLength: 255 }),
  user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
};

/** The query of GET /usages from 1.9. */
export const UsagesQuery = Type.Object(usageBase, { additionalProperties: false });

/** The query of GET /usages from 1.38 (consumer_type filter). */
export const UsagesQuery138 = Type.Object(
  {
    ...usageBase,
    consumer_type: Type.Optional(
      Type.String({
        pattern: `${CONSUMER_TYPE_PATTERN}|^all|^unknown$`,
        minLength: 1,
        maxLength: 255,
      }),
    ),
  },
  { additionalProperties: false },
);
