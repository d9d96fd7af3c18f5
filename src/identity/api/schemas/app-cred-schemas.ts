import { Type } from '@sinclair/typebox';
import { Name255, NullableString, wrapped } from './common-schemas.js';

/** POST /v3/users/{id}/application_credentials. */
export const AppCredCreate = wrapped(
  'application_credential',
  Type.Object(
    {
      name: Name255,
      description: Type.Optional(NullableString),
      secret: Type.Optional(NullableString),
      expires_at: Type.Optional(NullableString),
      roles: Type.Optional(
        Type.Array(
          Type.Object(
            {
              id: Type.Optional(Type.String()),
              name: Type.Optional(Type.String()),
              domain_id: Type.Optional(NullableString),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
        ),
      ),
      unrestricted: Type.Optional(Type.Boolean()),
      access_rules: Type.Optional(Type.Array(Type.Unknown())),
    },
    { additionalProperties: false },
  ),
);
