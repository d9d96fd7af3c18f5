import type { FastifyInstance, FastifyRequest } from 'fastify';
import { baseUrl } from '../links.js';

/** The one API version, as keystone's discovery describes it. */
function v3Version(req: FastifyRequest) {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${baseUrl(req)}/` }],
    'media-types': [
      { base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' },
    ],
  };
}

/** `GET /` (300 Multiple Choices listing v3) and `GET /v3`, needing no token. */
export function registerDiscoveryRoutes(app: FastifyInstance): void {
  app.get('/', { config: { public: true } }, async (req, reply) => {
    reply.code(300).header('location', `${baseUrl(req)}/`);
    return { versions: { values: [v3Version(req)] } };
  });
  app.get('/v3', { config: { public: true } }, async (req) => ({ version: v3Version(req) }));
}
