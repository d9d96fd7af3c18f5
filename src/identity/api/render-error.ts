import type { FastifyRequest } from 'fastify';
import type { StratusError } from '../../common/errors.js';
import type { ErrorRenderer } from '../../platform/http/create-http-server.js';
import { statusTitle } from '../../platform/http/status-titles.js';
import { baseUrl } from './links.js';

/**
 * Renders errors as keystone does: `{"error": {"code", "message", "title"}}`, the supported
 * methods under `error.identity` for auth plugin errors, and on a 401 the
 * `WWW-Authenticate: Keystone uri="<base>/v3"` header that points clients to the identity API.
 * The platform policy enforcer's 403 is reworded as keystone's ForbiddenAction.
 */
export function renderIdentityError(wwwAuthenticateUri?: string): ErrorRenderer {
  return (err: StratusError, req: FastifyRequest) => {
    let message = err.message;
    if (err.code === 'policy.forbidden' && typeof err.details?.rule === 'string') {
      message = `You are not authorized to perform the requested action: ${err.details.rule}.`;
    }
    const body: { error: Record<string, unknown> } = {
      error: { code: err.status, message, title: statusTitle(err.status) },
    };
    if (err.code === 'identity.auth_plugin' && err.details?.identity) {
      body.error.identity = err.details.identity;
    }
    const headers: Record<string, string> = {};
    if (err.status === 401) {
      headers['www-authenticate'] = `Keystone uri="${wwwAuthenticateUri ?? baseUrl(req)}"`;
    }
    return { status: err.status, body, headers };
  };
}
