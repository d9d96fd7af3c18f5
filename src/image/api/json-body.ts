import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../domain/glance-error.js';

/**
 * Makes every route of `app` take its body as text whatever the content type, as Glance's
 * JSONRequestDeserializer reads JSON without looking at Content-Type (PATCH checks its own
 * type first, so parsing waits for the handler). The platform's body size limit still applies.
 */
export function installTextBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    done(null, body === '' ? undefined : body);
  });
}

/** The request's JSON body (undefined when there is none), with Glance's 400s. */
export function jsonBody(req: FastifyRequest): unknown {
  const text = req.body;
  if (typeof text !== 'string') return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw badRequest('Malformed JSON in request body.');
  }
  if (data === null || typeof data !== 'object') {
    throw badRequest('Unexpected body type. Expected list/dict.');
  }
  return data;
}

/** The JSON body, which must be present ('Body expected in request.'). */
export function requiredJsonBody(req: FastifyRequest): unknown {
  const body = jsonBody(req);
  if (body === undefined) throw badRequest('Body expected in request.');
  return body;
}

/** True when the request carries a body, as Glance's has_body decides. */
export function hasBody(req: FastifyRequest): boolean {
  const te = String(req.headers['transfer-encoding'] ?? '').toLowerCase();
  const validEncoding = ['chunked', 'compress', 'deflate', 'gzip', 'identity'].includes(te);
  if (validEncoding && ['POST', 'PUT', 'PATCH'].includes(req.method)) return true;
  return Number(req.headers['content-length'] ?? 0) > 0;
}

/** Refuses a body on routes that take none (Glance's body_reject). */
export function rejectBody(req: FastifyRequest): void {
  if (hasBody(req)) throw badRequest('A body is not expected with this request.');
}
