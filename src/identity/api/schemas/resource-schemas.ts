import { Type } from '@sinclair/typebox';
import { IdString, Name64, NullableId, NullableString, Tags, wrapped } from './common-schemas.js';

const Options = Type.Object({}, { additionalProperties: true });

/** POST /v3/domains. */
export const DomainCreate = wrapped(
  'domain',
  Type.Object(
    {
      name: Name64,
      description: Type.Optional(NullableString),
      enabled: Type.Optional(Type.Boolean()),
      explicit_domain_id: Type.Optional(IdString),
      tags: Type.Optional(Tags),
      options: Type.Optional(Options),
    },
    { additionalProperties: true },
  ),
);

/** PATCH /v3/domains/{id}. */
export const DomainUpdate = wrapped(
  'domain',
  Type.Object(
    {
      name: Type.Optional(Name64),
      description: Type.Optional(NullableString),
      enabled: Type.Optional(Type.Boolean()),
      tags: Type.Optional(Tags),
      options: Type.Optional(Options),
    },
    { additionalProperties: true, minProperties: 1 },
  ),
);

/** POST /v3/projects. */
export const ProjectCreate = wrapped(
  'project',
  Type.Object(
    {
      name: Name64,
      description: Type.Optional(NullableString),
      domain_id: Type.Optional(NullableId),
      parent_id: Type.Optional(NullableId),
      enabled: Type.Optional(Type.Boolean()),
      is_domain: Type.Optional(Type.Boolean()),
      tags: Type.Optional(Tags),
      options: Type.Optional(Options),
    },
    { additionalProperties: true },
  ),
);

/** PATCH /v3/projects/{id}. */
export const ProjectUpdate = wrapped(
  'project',
  Type.Object(
    {
      name: Type.Optional(Name64),
      description: Type.Optional(NullableString),
      enabled: Type.Optional(Type.Boolean()),
      tags: Type.Optional(Tags),
      options: Type.Optional(Options),
    },
    { additionalProperties: true },
  ),
);

/** PUT /v3/projects/{id}/tags. */
export const TagsUpdate = Type.Object({ tags: Tags }, { required: ['tags'] });
