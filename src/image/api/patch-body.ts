import type { FastifyRequest } from 'fastify';
import { badRequest, forbidden, GlanceError } from '../domain/glance-error.js';
import type { PatchChange } from '../service/image-patch.js';
import type { ImageSchemaValidator } from './image-schema.js';
import { requiredJsonBody } from './json-body.js';

const PATCH_TYPES: Record<string, 4 | 10> = {
  'application/openstack-images-v2.0-json-patch': 4,
  'application/openstack-images-v2.1-json-patch': 10,
};
const OPS = ['add', 'remove', 'replace'] as const;

/** Attributes PATCH may never touch, and reserved ones (Glance's RequestDeserializer lists). */
export const READ_ONLY = [
  'created_at',
  'updated_at',
  'status',
  'checksum',
  'size',
  'virtual_size',
  'direct_url',
  'self',
  'file',
  'schema',
  'id',
  'os_hash_algo',
  'os_hash_value',
];
/** Property names no one may set. */
export const RESERVED = ['location', 'deleted', 'deleted_at'];
/** The namespace Glance keeps for itself. */
export const RESERVED_NAMESPACE = 'os_glance';

function decodePointer(pointer: unknown): string[] {
  if (typeof pointer !== 'string' || !pointer.startsWith('/')) {
    throw badRequest(`Pointer \`${String(pointer)}\` does not start with "/".`);
  }
  if (/\/\s*?\//.test(pointer.slice(1))) {
    throw badRequest(`Pointer \`${pointer}\` contains adjacent "/".`);
  }
  if (pointer.length > 1 && pointer.endsWith('/')) {
    throw badRequest(`Pointer \`${pointer}\` end with "/".`);
  }
  if (pointer.slice(1).trim() === '/') {
    throw badRequest(`Pointer \`${pointer}\` does not contains valid token.`);
  }
  if (/~[^01]/.test(pointer) || pointer.endsWith('~')) {
    throw badRequest(
      `Pointer \`${pointer}\` contains "~" not part of a recognized escape sequence.`,
    );
  }
  return pointer
    .replace(/^\/+/, '')
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~').trim());
}

function parseOp(
  raw: Record<string, unknown>,
  draft: 4 | 10,
): { op: PatchChange['op']; path: string[] } {
  if (draft === 10) {
    const op = raw.op;
    const available = OPS.join(', ');
    if (op === undefined) {
      throw badRequest(
        `Unable to find \`op\` in JSON Schema change. It must be one of the following: ${available}.`,
      );
    }
    if (!OPS.includes(op as PatchChange['op'])) {
      throw badRequest(
        `Invalid operation: \`${String(op)}\`. It must be one of the following: ${available}.`,
      );
    }
    if (!('path' in raw)) throw badRequest("Unable to find 'path' in JSON Schema change");
    return { op: op as PatchChange['op'], path: decodePointer(raw.path) };
  }
  const present = OPS.filter((k) => k in raw);
  if (present.length > 1) {
    throw badRequest(
      'Operation objects must contain only one member named "add", "remove", or "replace".',
    );
  }
  if (present.length === 0) {
    throw badRequest(
      'Operation objects must contain exactly one member named "add", "remove", or "replace".',
    );
  }
  return { op: present[0]!, path: decodePointer(raw[present[0]!]) };
}

/**
 * Parses a Glance image PATCH: the content type names the JSON-patch dialect, the body is an
 * array of operations whose pointers, depth and values are checked (read-only and reserved
 * attributes refused with 403, values against the image schema with 400) before any applies.
 */
export function parsePatch(req: FastifyRequest, schema: ImageSchemaValidator): PatchChange[] {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  const draft = PATCH_TYPES[type];
  if (draft === undefined) {
    const allowed = Object.keys(PATCH_TYPES).sort().join(', ');
    throw new GlanceError(415, undefined, {
      detail: `Image PATCH expects Content-Type one of: ${allowed}`,
      headers: { 'accept-patch': allowed },
    });
  }
  const body = requiredJsonBody(req);
  if (!Array.isArray(body))
    throw badRequest('Request body must be a JSON array of operation objects.');
  return body.map((raw: unknown) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw badRequest('Operations must be JSON objects.');
    }
    const r = raw as Record<string, unknown>;
    const { op, path } = parseOp(r, draft);
    const root = path[0]!;
    const depth = root === 'locations' ? { add: 2, remove: 2, replace: 1 }[op] : 1;
    if (path.length !== depth) {
      throw badRequest(`Invalid JSON pointer for this resource: '/${path.join('/')}'`);
    }
    const change: PatchChange = { op, path, draft };
    if (op !== 'remove') {
      if (!('value' in r)) throw badRequest(`Operation "${op}" requires a member named "value".`);
      change.value = r.value;
    }
    if (READ_ONLY.includes(root)) throw forbidden(`Attribute '${root}' is read-only.`);
    // Glance checks this on create only; its property names are 255 characters in the database.
    if (root.length > 255) {
      throw badRequest('Custom property should not be greater than 255 characters.');
    }
    if (RESERVED.includes(root) || root.startsWith(RESERVED_NAMESPACE)) {
      throw forbidden(`Attribute '${root}' is reserved.`);
    }
    if (op !== 'remove') {
      schema.check(path.length === 1 ? { [root]: change.value } : { [root]: [change.value] });
    }
    return change;
  });
}
