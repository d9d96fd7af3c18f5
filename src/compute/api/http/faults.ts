import type { FastifyRequest } from 'fastify';
import type { StratusError } from '../../../common/errors.js';
import type { ErrorRenderer } from '../../../platform/http/create-http-server.js';
import { microversionHeaders } from './microversion-headers.js';

/** Nova's fault body names by HTTP status; anything else is a `computeFault`. */
const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

/** The fault name Nova uses for a status code. */
export function faultName(status: number): string {
  return FAULT_NAMES[status] ?? 'computeFault';
}

/**
 * Renders errors as Nova does: `{"<faultName>": {"code", "message"}}` with the microversion
 * headers of the request; a 401 comes in keystonemiddleware's `{"error": …}` form with a
 * `WWW-Authenticate` header naming the identity endpoint, since that is what clients see
 * upstream. Unexpected errors never leak their message.
 */
export function computeFaultRenderer(identityUrl: string | undefined): ErrorRenderer {
  return (err: StratusError, req: FastifyRequest) => {
    const status = err.status;
    if (status === 401) {
      return {
        status,
        body: { error: { code: 401, title: 'Unauthorized', message: err.message } },
        headers: identityUrl
          ? { 'www-authenticate': `Keystone uri="${identityUrl}"` }
          : ({} as Record<string, string>),
      };
    }
    const message =
      status >= 500 && err.code === 'internal'
        ? 'Unexpected API Error. Please report this and attach the stratus-api log if possible.'
        : err.message;
    const fault: Record<string, unknown> = { code: status, message };
    const retryAfter = err.details?.retryAfter;
    if ((status === 413 || status === 429) && retryAfter !== undefined) {
      fault.retryAfter = String(retryAfter);
    }
    return {
      status,
      body: { [faultName(status)]: fault },
      headers: req.compute ? microversionHeaders(req.compute.version) : {},
    };
  };
}
