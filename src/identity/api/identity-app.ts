import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createHttpServer } from '../../platform/http/create-http-server.js';
import type { Metrics } from '../../platform/metrics/metrics.js';
import type { IdentityApiDeps } from './identity-api.js';
import { renderIdentityError } from './render-error.js';
import { installTokenHook } from './request-token.js';
import { registerAppCredRoutes } from './routes/app-cred-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerDiscoveryRoutes } from './routes/discovery-routes.js';
import { registerDomainRoutes } from './routes/domain-routes.js';
import { registerEndpointRoutes } from './routes/endpoint-routes.js';
import { registerGrantRoutes } from './routes/grant-routes.js';
import { registerGroupRoutes } from './routes/group-routes.js';
import { registerProjectRoutes } from './routes/project-routes.js';
import { registerRegionRoutes } from './routes/region-routes.js';
import { registerRoleAssignmentRoutes } from './routes/role-assignment-routes.js';
import { registerRoleRoutes } from './routes/role-routes.js';
import { registerServiceRoutes } from './routes/service-routes.js';
import { registerUserRoutes } from './routes/user-routes.js';

/** Builds the identity API (Keystone v3) on the platform's HTTP server. */
export function createIdentityApp(
  deps: IdentityApiDeps,
  opts: { logger: Logger; metrics?: Metrics; bodyLimit: number; wwwAuthenticateUri?: string },
): FastifyInstance {
  const app = createHttpServer({
    service: 'identity',
    logger: opts.logger,
    metrics: opts.metrics,
    bodyLimit: opts.bodyLimit,
    renderError: renderIdentityError(opts.wwwAuthenticateUri),
  });
  // Keystone varies every response on the token, so caches never mix callers' answers.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('vary', 'X-Auth-Token');
  });
  installTokenHook(app, deps.tokens);
  registerDiscoveryRoutes(app);
  registerAuthRoutes(app, deps);
  registerDomainRoutes(app, deps);
  registerProjectRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerGroupRoutes(app, deps);
  registerRoleRoutes(app, deps);
  registerGrantRoutes(app, deps);
  registerRoleAssignmentRoutes(app, deps);
  registerAppCredRoutes(app, deps);
  registerServiceRoutes(app, deps);
  registerEndpointRoutes(app, deps);
  registerRegionRoutes(app, deps);
  return app;
}
