import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { NotFoundError } from '../../../common/errors.js';
import { installAuthHook } from '../../../platform/auth/auth-hook.js';
import type { TokenValidator } from '../../../platform/auth/request-context.js';
import { createHttpServer } from '../../../platform/http/create-http-server.js';
import type { Metrics } from '../../../platform/metrics/metrics.js';
import type { PolicyEnforcer } from '../../../platform/policy/policy-enforcer.js';
import { negotiateVersion } from '../microversion/negotiate.js';
import { LEGACY_V2 } from '../microversion/version-range.js';
import { MAX_API_VERSION, MIN_API_VERSION } from '../microversion/supported-versions.js';
import { mountRoutes } from '../routing/mount-routes.js';
import type { AnyRouteSpec } from '../routing/route-spec.js';
import type { RequestValidator } from '../validation/request-validator.js';
import { versionChoices, versionDocument, versionsList } from '../views/versions-view.js';
import { computeState } from './compute-request.js';
import { computeFaultRenderer } from './faults.js';
import { microversionHeaders } from './microversion-headers.js';

/** What the compute API's HTTP server is made from. */
export interface ComputeAppOptions {
  logger: Logger;
  metrics?: Metrics;
  /** `[oslo_middleware] max_request_body_size`. */
  bodyLimit: number;
  auth: TokenValidator;
  enforcer: PolicyEnforcer;
  validator: RequestValidator;
  routes: AnyRouteSpec[];
  /** `[api] max_limit`. */
  maxLimit: number;
  /** `[api] compute_link_prefix`: replaces scheme, host and leading path of links. */
  linkPrefix?: string | undefined;
  /** The identity endpoint named in 401 responses. */
  identityUrl?: string | undefined;
}

function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

/** `/v2.1` or `/v2` when the path is under one of the APIs, else null. */
function apiPrefix(path: string): '/v2.1' | '/v2' | null {
  if (path === '/v2.1' || path.startsWith('/v2.1/')) return '/v2.1';
  if (path === '/v2' || path.startsWith('/v2/')) return '/v2';
  return null;
}

/** Version documents and anything outside the two APIs need no token, as upstream. */
function isPublic(req: FastifyRequest): boolean {
  const path = pathOf(req).replace(/\/+$/, '');
  return apiPrefix(path) === null || path === '/v2.1' || path === '/v2';
}

function rootUrl(req: FastifyRequest, linkPrefix: string | undefined): string {
  if (linkPrefix) return linkPrefix.replace(/\/+$/, '');
  return `${req.protocol}://${req.headers.host ?? req.hostname}`;
}

/**
 * Builds the compute API server: Nova's fault bodies, body parsing as upstream (any JSON type,
 * 415 otherwise), token auth, microversion negotiation on `/v2.1` (none on the legacy `/v2`),
 * the version documents, and the resource routes under both roots.
 */
export function createComputeApp(opts: ComputeAppOptions): FastifyInstance {
  const app = createHttpServer({
    service: 'compute',
    logger: opts.logger,
    metrics: opts.metrics,
    bodyLimit: opts.bodyLimit,
    renderError: computeFaultRenderer(opts.identityUrl),
  });
  app.decorateRequest('compute', null);
  // Bodies are read raw and parsed by the routing layer, which knows upstream's rules.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  installAuthHook(app, { validator: opts.auth, publicRoutes: isPublic });
  app.addHook('onRequest', async (req) => {
    const prefix = apiPrefix(pathOf(req));
    if (prefix === null) return;
    const version =
      prefix === '/v2'
        ? LEGACY_V2
        : negotiateVersion(req.headers, MIN_API_VERSION, MAX_API_VERSION);
    const pid = (req.params as Record<string, string | undefined> | undefined)?.project_id;
    req.compute = {
      version,
      appUrl: `${rootUrl(req, opts.linkPrefix)}${prefix}`,
      urlProjectId: pid ?? null,
    };
  });

  app.get('/', async (req) => versionsList(rootUrl(req, opts.linkPrefix)));
  for (const prefix of ['/v2.1', '/v2'] as const) {
    app.get(prefix, async (req, reply) => {
      reply.headers(microversionHeaders(computeState(req).version));
      return versionDocument(rootUrl(req, opts.linkPrefix), prefix === '/v2' ? 'v2.0' : 'v2.1');
    });
  }
  // Any other path outside the APIs answers with the version choices for it (upstream's 300).
  app.get('/*', async (req, reply) => {
    const path = pathOf(req);
    if (apiPrefix(path) !== null) throw new NotFoundError('The resource could not be found.');
    return reply.code(300).send(versionChoices(rootUrl(req, opts.linkPrefix), path));
  });

  mountRoutes(app, opts.routes, {
    validator: opts.validator,
    enforcer: opts.enforcer,
    maxLimit: opts.maxLimit,
  });
  return app;
}
