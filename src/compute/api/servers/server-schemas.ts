import { Versioned } from '../microversion/versioned.js';
import { isValidDescriptionPattern } from '../schemas/description-pattern.js';
import {
  booleanParam,
  fqdn,
  METADATA_KEY,
  name,
  nameWithSpaces,
  positiveInteger,
} from '../validation/parameter-types.js';

/**
 * Request bodies of POST /servers and PUT /servers/{id}, one schema per microversion range as
 * nova/api/openstack/compute/schemas/servers.py evolves them.
 */

type Schema = Record<string, any>;

/** Base64 text (whitespace allowed, as Python's decodebytes skips it); padding checked later. */
const base64 = { type: 'string', pattern: '^[A-Za-z0-9+/=\\s]*$' };
const uuid = { type: 'string', format: 'uuid' };
const ipAddress = { type: 'string', oneOf: [{ format: 'ipv4' }, { format: 'ipv6' }] };
/** A server tag: no commas or slashes, 1–60 characters. */
export const tagSchema = { type: 'string', pattern: '^[^,/]*$', minLength: 1, maxLength: 60 };
/** The most tags a server may have. */
export const MAX_TAGS = 50;
const description = {
  type: ['string', 'null'],
  pattern: isValidDescriptionPattern,
  minLength: 0,
  maxLength: 255,
};
const hostname = {
  type: 'string',
  pattern: '^[a-zA-Z0-9]+[a-zA-Z0-9-]*[a-zA-Z0-9]+$',
  minLength: 2,
  maxLength: 63,
};
/** Server metadata: keys of Nova's pattern, string values up to 255 characters. */
export const metadataSchema = {
  type: 'object',
  patternProperties: { [METADATA_KEY]: { type: 'string', maxLength: 255 } },
  additionalProperties: false,
};

const legacyBdm = {
  virtual_name: { type: 'string', maxLength: 255 },
  volume_id: uuid,
  snapshot_id: uuid,
  volume_size: positiveInteger,
  device_name: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9._/-]*$' },
  delete_on_termination: booleanParam,
  no_device: {},
  connection_info: { type: 'string', maxLength: 16777215 },
};
const bdmV2 = {
  ...legacyBdm,
  source_type: { type: 'string', enum: ['volume', 'image', 'snapshot', 'blank'] },
  uuid: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9._-]*$' },
  image_id: uuid,
  destination_type: { type: 'string', enum: ['local', 'volume'] },
  guest_format: { type: 'string', maxLength: 255 },
  device_type: { type: 'string', maxLength: 255 },
  disk_bus: { type: 'string', maxLength: 255 },
  boot_index: { type: ['integer', 'string', 'null'], pattern: '^-?[0-9]+$' },
};

const hints = {
  type: 'object',
  properties: {
    group: { oneOf: [{ type: 'array', items: uuid }, uuid] },
    different_host: { oneOf: [uuid, { type: 'array', items: uuid }] },
    same_host: { type: ['string', 'array'], items: uuid },
    query: { type: ['string', 'object'] },
    target_cell: name,
    different_cell: { type: ['string', 'array'], items: { type: 'string' } },
    build_near_host_ip: ipAddress,
    cidr: { type: 'string', pattern: '^/[0-9a-f.:]+$' },
  },
  additionalProperties: true,
};

interface Shape {
  legacy?: boolean;
  description?: boolean;
  /** 2.32: tags on networks and BDMs; 2.33–2.41: on networks only; 2.42+: both. */
  nicTags?: boolean;
  bdmTags?: boolean;
  /** 2.37: networks required, `auto`/`none` allowed. */
  autoNetworks?: boolean;
  tags?: boolean;
  personality?: boolean;
  trustedCerts?: boolean;
  volumeType?: boolean;
  hostAndNode?: boolean;
  hostname?: 'hostname' | 'fqdn';
}

function createSchema(s: Shape): Schema {
  const nic: Schema = {
    type: 'object',
    properties: {
      fixed_ip: ipAddress,
      port: { type: ['string', 'null'], format: 'uuid' },
      uuid: s.autoNetworks ? uuid : { type: 'string' },
      ...(s.nicTags ? { tag: tagSchema } : {}),
    },
    additionalProperties: false,
  };
  const nics = { type: 'array', items: nic };
  const bdmItem = {
    type: 'object',
    properties: {
      ...bdmV2,
      ...(s.bdmTags ? { tag: tagSchema } : {}),
      ...(s.volumeType
        ? { volume_type: { type: ['string', 'null'], minLength: 0, maxLength: 255 } }
        : {}),
    },
    additionalProperties: false,
  };
  const nameType = s.legacy ? nameWithSpaces : name;
  const server: Schema = {
    type: 'object',
    properties: {
      name: nameType,
      imageRef: { oneOf: [uuid, { type: 'string', maxLength: 0 }] },
      flavorRef: { type: ['string', 'integer'], minLength: 1 },
      adminPass: { type: 'string' },
      metadata: metadataSchema,
      networks: s.autoNetworks
        ? { oneOf: [nics, { type: 'string', enum: ['none', 'auto'] }] }
        : nics,
      'OS-DCF:diskConfig': { type: 'string', enum: ['AUTO', 'MANUAL'] },
      accessIPv4: { type: 'string', format: 'ipv4' },
      accessIPv6: { type: 'string', format: 'ipv6' },
      ...(s.personality
        ? {
            personality: {
              type: 'array',
              items: {
                type: 'object',
                properties: { path: { type: 'string' }, contents: base64 },
                additionalProperties: false,
              },
            },
          }
        : {}),
      availability_zone: nameType,
      block_device_mapping: {
        type: 'array',
        items: { type: 'object', properties: legacyBdm, additionalProperties: false },
      },
      block_device_mapping_v2: { type: 'array', items: bdmItem },
      config_drive: booleanParam,
      key_name: nameType,
      min_count: positiveInteger,
      max_count: positiveInteger,
      return_reservation_id: booleanParam,
      security_groups: {
        type: 'array',
        items: { type: 'object', properties: { name: nameType }, additionalProperties: false },
      },
      user_data: s.legacy
        ? { ...base64, type: ['string', 'null'], maxLength: 65535 }
        : { ...base64, maxLength: 65535 },
      ...(s.description ? { description } : {}),
      ...(s.tags ? { tags: { type: 'array', items: tagSchema, maxItems: MAX_TAGS } } : {}),
      ...(s.trustedCerts
        ? {
            trusted_image_certificates: {
              type: ['array', 'null'],
              minItems: 1,
              maxItems: 50,
              uniqueItems: true,
              items: { type: 'string', minLength: 1 },
            },
          }
        : {}),
      ...(s.hostAndNode ? { host: fqdn, hypervisor_hostname: fqdn } : {}),
      ...(s.hostname === 'hostname'
        ? { hostname }
        : s.hostname === 'fqdn'
          ? { hostname: fqdn }
          : {}),
    },
    required: s.autoNetworks ? ['name', 'flavorRef', 'networks'] : ['name', 'flavorRef'],
    additionalProperties: false,
  };
  return {
    type: 'object',
    properties: { server, 'os:scheduler_hints': hints, 'OS-SCH-HNT:scheduler_hints': hints },
    required: ['server'],
    additionalProperties: false,
  };
}

// Nova 2.37 redefines `networks` without the per-NIC tag; 2.42 brings it back.
const v237: Shape = { description: true, autoNetworks: true, personality: true };
const v242: Shape = { ...v237, nicTags: true, bdmTags: true };
const v252: Shape = { ...v242, tags: true };
const v257: Shape = { ...v252, personality: false };
const v263: Shape = { ...v257, trustedCerts: true };
const v267: Shape = { ...v263, volumeType: true };
const v274: Shape = { ...v267, hostAndNode: true };

/** POST /servers by microversion. */
export const serverCreateSchemas = new Versioned<object>([
  [['2.0', '2.0'], createSchema({ legacy: true, personality: true })],
  [['2.1', '2.18'], createSchema({ personality: true })],
  [['2.19', '2.31'], createSchema({ description: true, personality: true })],
  [
    ['2.32', '2.32'],
    createSchema({ description: true, personality: true, nicTags: true, bdmTags: true }),
  ],
  [['2.33', '2.36'], createSchema({ description: true, personality: true, nicTags: true })],
  [['2.37', '2.41'], createSchema(v237)],
  [['2.42', '2.51'], createSchema(v242)],
  [['2.52', '2.56'], createSchema(v252)],
  [['2.57', '2.62'], createSchema(v257)],
  [['2.63', '2.66'], createSchema(v263)],
  [['2.67', '2.73'], createSchema(v267)],
  [['2.74', '2.89'], createSchema(v274)],
  [['2.90', '2.93'], createSchema({ ...v274, hostname: 'hostname' })],
  [['2.94'], createSchema({ ...v274, hostname: 'fqdn' })],
]);

function updateSchema(extra: Schema, nameType: object = name): Schema {
  return {
    type: 'object',
    properties: {
      server: {
        type: 'object',
        properties: {
          name: nameType,
          'OS-DCF:diskConfig': { type: 'string', enum: ['AUTO', 'MANUAL'] },
          accessIPv4: { type: 'string', format: 'ipv4' },
          accessIPv6: { type: 'string', format: 'ipv6' },
          ...extra,
        },
        additionalProperties: false,
      },
    },
    required: ['server'],
    additionalProperties: false,
  };
}

/** PUT /servers/{id} by microversion. */
export const serverUpdateSchemas = new Versioned<object>([
  [['2.0', '2.0'], updateSchema({}, nameWithSpaces)],
  [['2.1', '2.18'], updateSchema({})],
  [['2.19', '2.89'], updateSchema({ description })],
  [['2.90', '2.93'], updateSchema({ description, hostname })],
  [['2.94', '2.103'], updateSchema({ description, hostname: fqdn })],
  [
    ['2.104'],
    updateSchema({
      description,
      hostname: fqdn,
      pinned_availability_zone: { oneOf: [{ ...name }, { type: 'null' }] },
    }),
  ],
]);
