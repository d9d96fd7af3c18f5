import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { installAuthHook } from '../../platform/auth/auth-hook.js';
import type { TokenValidator } from '../../platform/auth/request-context.js';
import { createHttpServer } from '../../platform/http/create-http-server.js';
import type { Metrics } from '../../platform/metrics/metrics.js';
import type { PolicyEnforcer } from '../../platform/policy/policy-enforcer.js';
import { PlacementError, badRequest } from '../placement-errors.js';
import type { PlacementDeps } from '../service/placement-deps.js';
import { negotiateMicroversion } from './microversion.js';
import { renderPlacementError } from './render-error.js';
import type { PathRoutes, RouteContext } from './route-context.js';
import { SchemaValidator } from './schema-validator.js';
import { compilePlacementChecks } from './schemas/placement-checks.js';
import { placementRouteTable } from './routes/route-table.js';
import type { CandidateFinder } from './routes/candidate-routes.js';

/** What the placement HTTP API is built from. */
export interface PlacementAppOptions {
  deps: PlacementDeps;
  logger: Logger;
  validator: TokenValidator;
  enforcer: PolicyEnforcer;
  candidates: CandidateFinder;
  metrics?: Metrics;
  /** [oslo_middleware] max_request_body_size. */
  bodyLimit: number;
  /** The public identity URL 401 responses point to. */
  identityUrl?: string;
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

function pathOf(req: FastifyRequest): string {
  const i = req.url.indexOf('?');
  return i < 0 ? req.url : req.url.slice(0, i);
}

/**
 * Builds the placement API on the platform's HTTP server: token auth (the version document at
 * `/` is public), microversion negotiation, upstream's content checks and error bodies, the
 * routes of every microversion, and 405 with `Allow` for a known path with another method.
 */
export function buildPlacementApp(opts: PlacementAppOptions): FastifyInstance {
  const app = createHttpServer({
    service: 'placement',
    logger: opts.logger,
    metrics: opts.metrics,
    bodyLimit: opts.bodyLimit,
    renderError: (err, req) => renderPlacementError(err, req, opts.identityUrl),
  });
  app.decorateRequest('placementMicroversion', null);
  installAuthHook(app, {
    validator: opts.validator,
    // The root version document and Prometheus scraping need no token.
    publicRoutes: (req) => ['/', '', '/metrics'].includes(pathOf(req)),
  });
  app.addHook('onRequest', async (req) => {
    req.placementMicroversion = negotiateMicroversion(req.headers['openstack-api-version']);
    // upstream: a body must say what it is.
    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) > 0 && !req.headers['content-type']) {
      throw badRequest('content-type header required when content-length > 0');
    }
  });
  app.addHook('onSend', async (req, reply) => {
    const v = req.placementMicroversion;
    if (v) {
      reply.header('openstack-api-version', `placement ${v.toString()}`);
      reply.header('vary', 'openstack-api-version');
    }
  });
  // Bodies are read as text and parsed by the handlers, so that media type and JSON errors get
  // upstream's wording and order (after the microversion and route checks).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const checks = compilePlacementChecks(new SchemaValidator());
  const ctx: RouteContext = {
    deps: opts.deps,
    checks,
    authorize(req, rule, target) {
      const t = target ?? { project_id: req.context.projectId, user_id: req.context.userId };
      if (!opts.enforcer.check(rule, req.context, t)) {
        throw new PlacementError(403, `Policy does not allow ${rule} to be performed.`);
      }
    },
  };
  const table: Record<string, PathRoutes> = placementRouteTable(ctx, opts.candidates);
  for (const [url, methods] of Object.entries(table)) {
    for (const [method, handler] of Object.entries(methods)) {
      app.route({ method, url, handler, exposeHeadRoute: false });
    }
    const allowed = Object.keys(methods);
    const others = ALL_METHODS.filter((m) => !allowed.includes(m));
    app.route({
      method: [...others],
      url,
      exposeHeadRoute: false,
      handler: async () => {
        throw new PlacementError(405, 'The method specified is not allowed for this resource.', {
          headers: { allow: allowed.join(', ') },
        });
      },
    });
  }
  return app;
}
