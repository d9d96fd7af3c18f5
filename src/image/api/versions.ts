import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../domain/glance-error.js';

/**
 * The version list Glance shows without an image cache or multiple stores configured, in its
 * order: 2.15 and 2.9 SUPPORTED, 2.17 CURRENT, then 2.7 down to 2.0.
 */
const VERSIONS: [string, 'CURRENT' | 'SUPPORTED'][] = [
  ['2.15', 'SUPPORTED'],
  ['2.9', 'SUPPORTED'],
  ['2.17', 'CURRENT'],
  ['2.7', 'SUPPORTED'],
  ['2.6', 'SUPPORTED'],
  ['2.5', 'SUPPORTED'],
  ['2.4', 'SUPPORTED'],
  ['2.3', 'SUPPORTED'],
  ['2.2', 'SUPPORTED'],
  ['2.1', 'SUPPORTED'],
  ['2.0', 'SUPPORTED'],
];

/** The base URL clients reach this API at: [image] public_endpoint, else the request's host. */
export function baseUrl(req: FastifyRequest, publicEndpoint: string): string {
  if (publicEndpoint) return publicEndpoint.replace(/\/+$/, '');
  return `${req.protocol}://${req.headers.host ?? `${req.hostname}`}`;
}

/** The version document (GET / and GET /versions). */
export function versionsDoc(base: string) {
  return {
    versions: VERSIONS.map(([id, status]) => ({
      id: `v${id}`,
      status,
      links: [{ rel: 'self', href: `${base}/v2/` }],
    })),
  };
}

/** True for a path outside the v2 API, which Glance's version negotiation answers itself. */
export function isUnversionedPath(url: string): boolean {
  const first = url.split('?')[0]!.split('/')[1] ?? '';
  return first !== 'v2';
}

/**
 * Serves version discovery without a token, as Glance's version negotiation (which runs before
 * authentication): GET /versions answers 200, and GET / or any path that names no known API
 * version (`/images`, `/v1/images`) answers 300 Multiple Choices with the version list.
 */
export function registerVersionRoutes(app: FastifyInstance, publicEndpoint: string): void {
  const choices = async (req: FastifyRequest, reply: FastifyReply) => {
    // Only reached for paths no route matched: under /v2 that is a plain 404.
    if (!isUnversionedPath(req.url)) throw notFound();
    reply.code(300);
    return versionsDoc(baseUrl(req, publicEndpoint));
  };
  app.get('/', choices);
  app.get('/versions', async (req) => versionsDoc(baseUrl(req, publicEndpoint)));
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/*',
    handler: choices,
  });
}
