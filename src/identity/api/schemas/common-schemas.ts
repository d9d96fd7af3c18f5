import { Type, type TSchema } from '@sinclair/typebox';

/** keystone's parameter_types.name: 1-255 characters, not only whitespace. */
export const Name255 = Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' });
/** A project or domain name: 1-64 characters, not only whitespace. */
export const Name64 = Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' });
/** keystone's id_string. */
export const IdString = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' });
/** A nullable string. */
export const NullableString = Type.Union([Type.String(), Type.Null()]);
/** A nullable id. */
export const NullableId = Type.Union([IdString, Type.Null()]);
/** A project tag: 1-255 characters without `/` or `,` (API-WG tags guideline). */
export const Tag = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^,/]*$' });
/** A tag list, as keystone bounds it. */
export const Tags = Type.Array(Tag, { maxItems: 80, uniqueItems: true });

/**
 * `{"<key>": <member>}`: the body of a create or update; unknown keys inside the member are
 * allowed (keystone keeps them as extra attributes) unless the member schema says otherwise.
 */
export function wrapped<K extends string, S extends TSchema>(key: K, member: S) {
  return Type.Object({ [key]: member } as { [P in K]: S }, {
    required: [key],
    additionalProperties: false,
  });
}
