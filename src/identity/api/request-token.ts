import type { FastifyInstance } from 'fastify';
import type {} from '../../platform/auth/auth-hook.js';
import type { RequestContext } from '../../platform/auth/request-context.js';
import { toRequestContext, type TokenInfo, type TokenProvider } from '../core/token-provider.js';
import { unauthorized } from '../identity-errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route needs no X-Auth-Token (version discovery, issuing a token). */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The caller's validated token, on every route that is not public. */
    identityToken: TokenInfo;
  }
}

/**
 * Authenticates the identity API's own requests from X-Auth-Token with the token provider
 * directly (identity cannot ask itself over HTTP), setting `req.identityToken` and the
 * `req.context` policy checks read. Public routes and unmatched URLs (404) skip it.
 */
export function installTokenHook(app: FastifyInstance, tokens: TokenProvider): void {
  app.decorateRequest('identityToken', null as unknown as TokenInfo);
  app.decorateRequest('context', null as unknown as RequestContext);
  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    if (url === undefined || url === '/metrics' || req.routeOptions.config.public) return;
    const header = req.headers['x-auth-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) throw unauthorized('No X-Auth-Token in the request');
    const info = await tokens.validate(token);
    req.identityToken = info;
    req.context = { ...toRequestContext(info), requestId: req.id };
  });
}

/** The X-Subject-Token of a request, or undefined. */
export function subjectToken(
  headers: Record<string, string | string[] | undefined>,
): string | undefined {
  const h = headers['x-subject-token'];
  return Array.isArray(h) ? h[0] : h;
}
