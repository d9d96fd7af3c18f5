import type { FastifyRequest } from 'fastify';

/**
 * The identity API's base URL as keystone's base_url computes it without a configured
 * public_endpoint: the scheme and host the client used, plus `/v3`.
 */
export function baseUrl(req: FastifyRequest): string {
  const proto = (req.headers['x-forwarded-proto'] as string | undefined) ?? req.protocol;
  const host = req.headers.host ?? `${req.hostname}`;
  return `${proto}://${host}/v3`;
}

/** `{"self": <base>/<path>}`, the links of one resource. */
export function selfLinks(req: FastifyRequest, path: string): { self: string } {
  return { self: `${baseUrl(req)}/${path.replace(/^\/+/, '')}` };
}

/** The URL of the request itself (path and query), under the base URL. */
export function requestUrl(req: FastifyRequest): string {
  const url = req.url.replace(/^\/v3/, '');
  return `${baseUrl(req)}${url}`;
}
