import { Type } from '@sinclair/typebox';
import {
  IdString,
  Name255,
  Name64,
  NullableId,
  NullableString,
  wrapped,
} from './common-schemas.js';

/** keystone's user resource options and their types (identity/backends/resource_options.py). */
export const UserOptions = Type.Object(
  {
    ignore_change_password_upon_first_use: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    ignore_password_expiry: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    ignore_lockout_failure_attempts: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    lock_password: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    ignore_user_inactivity: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    multi_factor_auth_enabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    multi_factor_auth_rules: Type.Optional(
      Type.Union([Type.Array(Type.Array(Type.String(), { minItems: 1 })), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);

/** POST /v3/users. */
export const UserCreate = wrapped(
  'user',
  Type.Object(
    {
      name: Name255,
      domain_id: Type.Optional(IdString),
      default_project_id: Type.Optional(NullableId),
      enabled: Type.Optional(Type.Boolean()),
      password: Type.Optional(NullableString),
      description: Type.Optional(NullableString),
      options: Type.Optional(UserOptions),
    },
    { additionalProperties: true },
  ),
);

/** PATCH /v3/users/{id}. */
export const UserUpdate = wrapped(
  'user',
  Type.Object(
    {
      name: Type.Optional(Name255),
      domain_id: Type.Optional(IdString),
      default_project_id: Type.Optional(NullableId),
      enabled: Type.Optional(Type.Boolean()),
      password: Type.Optional(NullableString),
      description: Type.Optional(NullableString),
      options: Type.Optional(UserOptions),
    },
    { additionalProperties: true, minProperties: 1 },
  ),
);

/** POST /v3/users/{id}/password. */
export const PasswordChange = wrapped(
  'user',
  Type.Object(
    { password: Type.String(), original_password: Type.String() },
    { additionalProperties: false },
  ),
);

/** POST /v3/groups. */
export const GroupCreate = wrapped(
  'group',
  Type.Object(
    {
      name: Name64,
      domain_id: Type.Optional(IdString),
      description: Type.Optional(NullableString),
    },
    { additionalProperties: true },
  ),
);

/** PATCH /v3/groups/{id}. */
export const GroupUpdate = wrapped(
  'group',
  Type.Object(
    {
      name: Type.Optional(Name64),
      domain_id: Type.Optional(IdString),
      description: Type.Optional(NullableString),
    },
    { additionalProperties: true, minProperties: 1 },
  ),
);
