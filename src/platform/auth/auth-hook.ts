import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../../common/errors.js';
import type { RequestContext, TokenValidator } from './request-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every authenticated route. */
    context: RequestContext;
  }
}

/** Options of the auth hook. */
export interface AuthHookOptions {
  validator: TokenValidator;
  /** Paths that need no token (version documents), matched exactly against the route URL. */
  publicRoutes?: (req: FastifyRequest) => boolean;
}

/**
 * Authenticates every request of an API from its `X-Auth-Token`, attaching `req.context`; a
 * missing or invalid token is a 401 that the API renders in its own format (each API adds its
 * `WWW-Authenticate` header there).
 */
export function installAuthHook(app: FastifyInstance, opts: AuthHookOptions): void {
  app.decorateRequest('context', null as unknown as RequestContext);
  app.addHook('onRequest', async (req) => {
    if (opts.publicRoutes?.(req)) return;
    const header = req.headers['x-auth-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) throw new UnauthorizedError();
    const granted = await opts.validator.validate(token);
    req.context = { ...granted, requestId: req.id };
  });
}
