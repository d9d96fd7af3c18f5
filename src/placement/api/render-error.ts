import type { FastifyRequest } from 'fastify';
import type { StratusError } from '../../common/errors.js';
import { statusTitle } from '../../platform/http/status-titles.js';
import { ErrorCode, PlacementError } from '../placement-errors.js';
import { MAX_VERSION, MIN_VERSION, MicroversionError } from './microversion.js';

// The explanations webob's HTTP exceptions put before the detail, with its line breaks.
const EXPLANATIONS: Record<number, string> = {
  400: 'The server could not comply with the request since it is either malformed or otherwise incorrect. ',
  403: 'Access was denied to this resource.',
  404: 'The resource could not be found.',
  409: 'There was a conflict when trying to complete your request.',
  413: 'The body of your request was too large for this server.',
  500: 'The server has either erred or is incapable of performing the requested operation. ',
  503: 'The server is currently unavailable. Please try again at a later time. ',
};

function header(req: FastifyRequest, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
}

/**
 * The `detail` text of upstream's error bodies: webob's page for the status (its explanation,
 * or the method / media type / accept header the request had), then the handler's message,
 * with webob's line breaks and trailing spaces (clients compare these strings).
 */
export function webobDetail(status: number, message: string, req: FastifyRequest): string {
  switch (status) {
    case 405:
      return `The method ${req.method} is not allowed for this resource. \n\n ${message}`;
    case 406:
      return (
        'The resource could not be generated that was acceptable to your browser ' +
        `(content of type ${header(req, 'accept')}. \n\n ${message}`
      );
    case 415: {
      const type = header(req, 'content-type').split(';')[0]!.trim() || 'None';
      return `The request media type ${type} is not supported by this server. ${message}`;
    }
    default: {
      const explanation = EXPLANATIONS[status] ?? '';
      // webob shows only its explanation when the handler gave no detail of its own.
      const detail = message === explanation ? '' : message;
      return `${explanation}\n\n ${detail}  `;
    }
  }
}

/**
 * Renders any error of the placement API in upstream's format:
 * `{"errors": [{"status", "title", "detail", "code" (1.23+), "request_id"}]}`, plus
 * `max_version`/`min_version` when the microversion itself was unacceptable. A 401 comes from
 * the auth layer, outside placement, and looks like keystonemiddleware's.
 */
export function renderPlacementError(
  err: StratusError,
  req: FastifyRequest,
  identityUrl: string | undefined,
): { status: number; body: unknown; headers?: Record<string, string> } {
  const status = err.status;
  if (status === 401) {
    return {
      status,
      body: {
        error: {
          code: 401,
          title: statusTitle(401),
          message: 'The request you have made requires authentication.',
        },
      },
      headers: identityUrl ? { 'www-authenticate': `Keystone uri="${identityUrl}"` } : {},
    };
  }
  const version = req.placementMicroversion;
  const entry: Record<string, unknown> = {
    status,
    title: statusTitle(status),
    detail: webobDetail(status, status >= 500 ? 'An unexpected error occurred.' : err.message, req),
  };
  if (version?.atLeast(23)) {
    entry.code = err.code.startsWith('placement.') ? err.code : ErrorCode.UNDEFINED;
  }
  entry.request_id = req.id;
  if (err instanceof MicroversionError && status === 406) {
    entry.max_version = MAX_VERSION;
    entry.min_version = MIN_VERSION;
  }
  const headers = err instanceof PlacementError && err.headers ? { ...err.headers } : {};
  return { status, body: { errors: [entry] }, headers };
}
