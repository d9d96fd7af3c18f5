import { Type } from '@sinclair/typebox';
import { Name255, NullableId, NullableString, wrapped } from './common-schemas.js';

const RoleOptions = Type.Object(
  { immutable: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])) },
  { additionalProperties: false },
);

/** POST /v3/roles. */
export const RoleCreate = wrapped(
  'role',
  Type.Object(
    {
      name: Name255,
      domain_id: Type.Optional(NullableId),
      description: Type.Optional(NullableString),
      options: Type.Optional(RoleOptions),
    },
    { additionalProperties: true },
  ),
);

/** PATCH /v3/roles/{id}. */
export const RoleUpdate = wrapped(
  'role',
  Type.Object(
    {
      name: Type.Optional(Name255),
      domain_id: Type.Optional(NullableId),
      description: Type.Optional(NullableString),
      options: Type.Optional(RoleOptions),
    },
    { additionalProperties: true, minProperties: 1 },
  ),
);
