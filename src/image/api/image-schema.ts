import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { badRequest } from '../domain/glance-error.js';
import { IMAGE_STATUSES, MEMBER_STATUSES, VISIBILITIES } from '../domain/image.js';

const UUID_PATTERN =
  '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$';

/**
 * The image's base properties as JSON Schema, with Glance's names, types and enums (the
 * descriptions are Stratus's own). `disk_format` and `container_format` take their enums from
 * [image_format].
 */
export function imageProperties(
  diskFormats: readonly string[],
  containerFormats: readonly string[],
) {
  const nullableString = (description: string, maxLength?: number) => ({
    type: ['null', 'string'],
    description,
    ...(maxLength ? { maxLength } : {}),
  });
  return {
    id: { type: 'string', description: 'Image identifier (a UUID).', pattern: UUID_PATTERN },
    name: nullableString('Human-readable name of the image.', 255),
    status: {
      type: 'string',
      readOnly: true,
      description: 'Where the image is in its lifecycle.',
      enum: [...IMAGE_STATUSES],
    },
    visibility: {
      type: 'string',
      description: 'Who may see the image besides its owner.',
      enum: [...VISIBILITIES],
    },
    protected: { type: 'boolean', description: 'A protected image cannot be deleted.' },
    os_hidden: { type: 'boolean', description: 'Hidden images are left out of default lists.' },
    checksum: { ...nullableString('MD5 of the image data.', 32), readOnly: true },
    os_hash_algo: { ...nullableString('Algorithm of os_hash_value.', 64), readOnly: true },
    os_hash_value: { ...nullableString('Hex digest of the image data.', 128), readOnly: true },
    owner: nullableString('Project that owns the image.', 255),
    size: { type: ['null', 'integer'], readOnly: true, description: 'Bytes of image data.' },
    virtual_size: {
      type: ['null', 'integer'],
      readOnly: true,
      description: 'Size of the disk the image holds, in bytes.',
    },
    container_format: {
      type: ['null', 'string'],
      description: 'Container the disk comes in.',
      enum: [null, ...containerFormats],
    },
    disk_format: {
      type: ['null', 'string'],
      description: 'Format of the disk.',
      enum: [null, ...diskFormats],
    },
    created_at: { type: 'string', readOnly: true, description: 'When the image was created.' },
    updated_at: { type: 'string', readOnly: true, description: 'When the image last changed.' },
    tags: {
      type: 'array',
      description: 'Strings attached to the image.',
      items: { type: 'string', maxLength: 255 },
    },
    direct_url: { type: 'string', readOnly: true, description: 'Location of the data.' },
    min_ram: { type: 'integer', description: 'RAM (MiB) needed to boot the image.' },
    min_disk: { type: 'integer', description: 'Disk (GiB) needed to boot the image.' },
    self: { type: 'string', readOnly: true, description: 'URL of the image.' },
    file: { type: 'string', readOnly: true, description: 'URL of the image data.' },
    stores: { type: 'string', readOnly: true, description: 'Stores holding the data.' },
    schema: { type: 'string', readOnly: true, description: 'URL of this schema.' },
    locations: {
      type: 'array',
      description: 'Locations of the image data (never shown here).',
      items: {
        type: 'object',
        properties: {
          url: { type: 'string', maxLength: 255 },
          metadata: { type: 'object' },
        },
        required: ['url', 'metadata'],
      },
    },
  };
}

/** The `image` schema document (GET /v2/schemas/image): permissive, extra properties are strings. */
export function imageSchemaDoc(
  diskFormats: readonly string[],
  containerFormats: readonly string[],
) {
  return {
    name: 'image',
    properties: imageProperties(diskFormats, containerFormats),
    additionalProperties: { type: 'string' },
    links: [
      { rel: 'self', href: '{self}' },
      { rel: 'enclosure', href: '{file}' },
      { rel: 'describedby', href: '{schema}' },
    ],
  };
}

/** The `member` schema document. */
export function memberSchemaDoc() {
  return {
    name: 'member',
    properties: {
      member_id: { type: 'string', description: 'The project the image is shared with.' },
      image_id: { type: 'string', description: 'The shared image.', pattern: UUID_PATTERN },
      created_at: { type: 'string', description: 'When the membership was created.' },
      updated_at: { type: 'string', description: 'When the membership last changed.' },
      status: { type: 'string', description: "The member's answer.", enum: [...MEMBER_STATUSES] },
      schema: { readOnly: true, type: 'string' },
    },
    additionalProperties: false,
  };
}

/** A collection schema document around an item schema, as Glance's CollectionSchema. */
export function collectionSchemaDoc(name: string, item: object) {
  return {
    name,
    properties: {
      [name]: { type: 'array', items: item },
      first: { type: 'string' },
      next: { type: 'string' },
      schema: { type: 'string' },
    },
    links: [
      { rel: 'first', href: '{first}' },
      { rel: 'next', href: '{next}' },
      { rel: 'describedby', href: '{schema}' },
    ],
  };
}

/** Python's repr of a JSON value, as jsonschema's messages print instances. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') {
    const quote = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t');
    return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
  }
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v as object)
    .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
    .join(', ')}}`;
}

/** The first line of jsonschema's message for an ajv error. */
function jsonschemaMessage(e: ErrorObject, instance: unknown): string {
  const value = pyRepr(instance);
  switch (e.keyword) {
    case 'type': {
      const types = String((e.params as { type: string }).type).split(',');
      return `${value} is not of type ${types.map((t) => pyRepr(t)).join(', ')}`;
    }
    case 'enum':
      return `${value} is not one of ${pyRepr((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    case 'maxLength':
      return `${value} is too long`;
    case 'minLength':
      return `${value} is too short`;
    case 'pattern':
      return `${value} does not match ${pyRepr((e.params as { pattern: string }).pattern)}`;
    case 'required':
      return `${pyRepr((e.params as { missingProperty: string }).missingProperty)} is a required property`;
    default:
      return `${value} is not valid under the given schema`;
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = (cur as Record<string, unknown> | undefined)?.[key];
  }
  return cur;
}

/** Validates objects against the image schema, with Glance's InvalidObject message on failure. */
export class ImageSchemaValidator {
  private compiled: ValidateFunction | undefined;

  constructor(
    private readonly diskFormats: readonly string[],
    private readonly containerFormats: readonly string[],
  ) {}

  /** Throws Glance's 400 when `obj` does not match the image schema. */
  check(obj: unknown): void {
    // Compiled when first used (start-up is faster); strict off because the schema carries
    // annotation keywords such as readOnly.
    const validate = (this.compiled ??= new Ajv({ strict: false, allErrors: false }).compile(
      imageSchemaDoc(this.diskFormats, this.containerFormats),
    ));
    if (validate(obj)) return;
    const e = validate.errors![0]!;
    throw badRequest(
      `Provided object does not match schema 'image': ${jsonschemaMessage(e, valueAt(obj, e.instancePath))}`,
    );
  }
}
