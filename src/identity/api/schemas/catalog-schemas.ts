import { Type } from '@sinclair/typebox';
import { NullableString, wrapped } from './common-schemas.js';

const ServiceType = Type.String({ minLength: 1, maxLength: 255 });
const Interface = Type.Union([
  Type.Literal('public'),
  Type.Literal('internal'),
  Type.Literal('admin'),
]);
// keystone's parameter_types.url: lenient, a scheme and something after it.
const Url = Type.String({ minLength: 0, maxLength: 225, pattern: '^[a-zA-Z0-9+.-]+:.+' });

/** POST /v3/services. */
export const ServiceCreate = wrapped(
  'service',
  Type.Object(
    {
      type: ServiceType,
      name: Type.Optional(Type.String({ maxLength: 255 })),
      description: Type.Optional(NullableString),
      enabled: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: true },
  ),
);

/** PATCH /v3/services/{id}. */
export const ServiceUpdate = wrapped(
  'service',
  Type.Object(
    {
      type: Type.Optional(ServiceType),
      name: Type.Optional(Type.String({ maxLength: 255 })),
      description: Type.Optional(NullableString),
      enabled: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: true, minProperties: 1 },
  ),
);

/** POST /v3/endpoints. */
export const EndpointCreate = wrapped(
  'endpoint',
  Type.Object(
    {
      service_id: Type.String({ minLength: 1, maxLength: 64 }),
      interface: Interface,
      url: Url,
      region_id: Type.Optional(NullableString),
      region: Type.Optional(NullableString),
      enabled: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: true },
  ),
);

/** PATCH /v3/endpoints/{id}. */
export const EndpointUpdate = wrapped(
  'endpoint',
  Type.Object(
    {
      service_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      interface: Type.Optional(Interface),
      url: Type.Optional(Url),
      region_id: Type.Optional(NullableString),
      region: Type.Optional(NullableString),
      enabled: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: true, minProperties: 1 },
  ),
);

/** POST /v3/regions and PUT /v3/regions/{id}. */
export const RegionCreate = wrapped(
  'region',
  Type.Object(
    {
      id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
      description: Type.Optional(Type.String({ maxLength: 255 })),
      parent_region_id: Type.Optional(NullableString),
    },
    { additionalProperties: true },
  ),
);

/** PATCH /v3/regions/{id}. */
export const RegionUpdate = wrapped(
  'region',
  Type.Object(
    {
      description: Type.Optional(Type.String({ maxLength: 255 })),
      parent_region_id: Type.Optional(NullableString),
    },
    { additionalProperties: true, minProperties: 1 },
  ),
);
