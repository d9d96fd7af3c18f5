import type { FastifyInstance, FastifyRequest } from 'fastify';

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

/**
 * Serves version discovery without a token: GET / answers 300 Multiple Choices, as Glance's
 * version negotiation does, and GET /versions 200.
 */
export function registerVersionRoutes(app: FastifyInstance, publicEndpoint: string): void {
  app.get('/', async (req, reply) => {
    reply.code(300);
    return versionsDoc(baseUrl(req, publicEndpoint));
  });
  app.get('/versions', async (req) => versionsDoc(baseUrl(req, publicEndpoint)));
}
