import { Type, type Static } from '@sinclair/typebox';

const name = Type.String({ maxLength: 200 });
const uuid = Type.String({ format: 'uuid' });
const parent = Type.Union([Type.String({ format: 'uuid' }), Type.Null()]);

/** POST /resource_providers before 1.14. */
export const PostProvider = Type.Object(
  { name, uuid: Type.Optional(uuid) },
  { additionalProperties: false },
);

/** POST /resource_providers from 1.14 (a parent may be given). */
export const PostProvider114 = Type.Object(
  { name, uuid: Type.Optional(uuid), parent_provider_uuid: Type.Optional(parent) },
  { additionalProperties: false },
);

/** The body of POST /resource_providers. */
export type PostProviderBody = Static<typeof PostProvider114>;

/** PUT /resource_providers/{uuid} before 1.14. */
export const PutProvider = Type.Object({ name }, { additionalProperties: false });

/** PUT /resource_providers/{uuid} from 1.14. */
export const PutProvider114 = Type.Object(
  { name, parent_provider_uuid: Type.Optional(parent) },
  { additionalProperties: false },
);

/** The body of PUT /resource_providers/{uuid}. */
export type PutProviderBody = Static<typeof PutProvider114>;

const opt = Type.Optional;
const base = { name: opt(Type.String()), uuid: opt(uuid) };
const inTree = opt(Type.String({ format: 'uuid' }));

/** The query of GET /resource_providers, per microversion. */
export const ListProvidersQuery = {
  v1_0: Type.Object(base, { additionalProperties: false }),
  v1_3: Type.Object({ ...base, member_of: opt(Type.String()) }, { additionalProperties: false }),
  v1_4: Type.Object(
    { ...base, member_of: opt(Type.String()), resources: opt(Type.String()) },
    { additionalProperties: false },
  ),
  v1_14: Type.Object(
    { ...base, member_of: opt(Type.String()), resources: opt(Type.String()), in_tree: inTree },
    { additionalProperties: false },
  ),
  v1_18: Type.Object(
    {
      ...base,
      member_of: opt(Type.String()),
      resources: opt(Type.String()),
      in_tree: inTree,
      required: opt(Type.String()),
    },
    { additionalProperties: false },
  ),
};
