import { Type, type Static } from '@sinclair/typebox';

// Keystone's auth/schema.py: loose objects (unknown keys pass), strings where it wants strings.
const IdOrName = Type.Object({
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
});

const UserRef = Type.Object({
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  domain: Type.Optional(IdOrName),
});

/** The `auth` object of a POST /v3/auth/tokens body. */
export const AuthRequestSchema = Type.Object({
  identity: Type.Object({
    methods: Type.Array(Type.String()),
    password: Type.Optional(Type.Object({ user: Type.Optional(UserRef) })),
    token: Type.Optional(Type.Object({ id: Type.String() }, { required: ['id'] })),
    application_credential: Type.Optional(
      Type.Object({
        id: Type.Optional(Type.String()),
        name: Type.Optional(Type.String()),
        secret: Type.Optional(Type.String()),
        user: Type.Optional(
          Type.Object({
            id: Type.Optional(Type.String()),
            name: Type.Optional(Type.String()),
            domain: Type.Optional(IdOrName),
          }),
        ),
      }),
    ),
  }),
  // Old keystoneauth sends `"scope": "unscoped"` as a string (keystone accepts both).
  scope: Type.Optional(
    Type.Union([
      Type.String(),
      Type.Object({
        project: Type.Optional(
          Type.Object({
            id: Type.Optional(Type.String()),
            name: Type.Optional(Type.String()),
            domain: Type.Optional(IdOrName),
          }),
        ),
        domain: Type.Optional(IdOrName),
        system: Type.Optional(Type.Object({ all: Type.Optional(Type.Boolean()) })),
        unscoped: Type.Optional(Type.Unknown()),
        'OS-TRUST:trust': Type.Optional(Type.Object({ id: Type.Optional(Type.String()) })),
      }),
    ]),
  ),
});

/** A validated `auth` object of POST /v3/auth/tokens. */
export type AuthRequest = Static<typeof AuthRequestSchema>;
