import type { FastifyRequest } from 'fastify';
import { BadRequestError, UnsupportedMediaTypeError } from '../../../common/errors.js';

/** The request content types upstream accepts, plus "none given" (text/plain or absent). */
const JSON_TYPES = ['application/json', 'application/vnd.openstack.compute+json'];

/**
 * Reads a POST or PUT body as upstream does: no Content-Type (or text/plain) is read as JSON,
 * other types than JSON are a 415, an empty body is null, and text that is not JSON is a 400
 * "Malformed request body".
 */
export function readJsonBody(req: FastifyRequest): unknown {
  const header = req.headers['content-type'];
  if (header !== undefined) {
    const type = header.split(';')[0]!.trim().toLowerCase();
    if (type !== '' && type !== 'text/plain' && !JSON_TYPES.includes(type)) {
      throw new UnsupportedMediaTypeError('Unsupported Content-Type');
    }
  }
  const raw = req.body;
  if (raw === undefined || raw === null) return null;
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
  if (text.length === 0) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError('Malformed request body', { code: 'compute.malformed_body' });
  }
}

/**
 * Picks the action of a `POST …/action` body: it must be an object with exactly one key
 * (upstream's action_peek), else the body is malformed.
 */
export function actionName(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestError('Malformed request body', { code: 'compute.malformed_body' });
  }
  const keys = Object.keys(body);
  if (keys.length !== 1) {
    throw new BadRequestError('Malformed request body', { code: 'compute.malformed_body' });
  }
  return keys[0]!;
}
