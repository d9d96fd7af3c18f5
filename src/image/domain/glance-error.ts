import { StratusError } from '../../common/errors.js';
import { statusTitle as t } from '../../platform/http/status-titles.js';

/**
 * The status titles (the shared table) and default explanations of WebOb's HTTP exceptions,
 * which Glance raises.
 */
export const WEBOB_STATUS: Readonly<Record<number, { title: string; explanation: string }>> = {
  400: {
    title: t(400),
    explanation:
      'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  },
  401: {
    title: t(401),
    explanation:
      'This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.',
  },
  403: { title: t(403), explanation: 'Access was denied to this resource.' },
  404: { title: t(404), explanation: 'The resource could not be found.' },
  405: { title: t(405), explanation: '' },
  409: {
    title: t(409),
    explanation: 'There was a conflict when trying to complete your request.',
  },
  410: {
    title: t(410),
    explanation: 'This resource is no longer available. No forwarding address is given.',
  },
  413: {
    title: t(413),
    explanation: 'The body of your request was too large for this server.',
  },
  415: { title: t(415), explanation: '' },
  416: {
    title: t(416),
    explanation: 'The Range requested is not available.',
  },
  500: {
    title: t(500),
    explanation:
      'The server has either erred or is incapable of performing the requested operation.',
  },
  501: { title: t(501), explanation: '' },
  503: {
    title: t(503),
    explanation: 'The server is currently unavailable. Please try again at a later time.',
  },
  504: { title: t(504), explanation: 'The gateway has timed out.' },
};

/** Which WebOb body template an error renders with (405 and 415 have their own). */
export type FaultTemplate = 'default' | 'method' | 'media';

/** What a GlanceError carries besides its status. */
export interface GlanceErrorOptions {
  /** WebOb's `detail`: shown after the explanation (Glance passes it positionally). */
  detail?: string;
  /** Extra response headers, e.g. `Allow` on a 405. */
  headers?: Record<string, string>;
  /** Stable code for logs and metrics. */
  code?: string;
  cause?: unknown;
}

/**
 * An error as Glance raises it: a WebOb HTTP exception with an explanation (the message; the
 * status's default when omitted) and an optional detail. The image API renders it in WebOb's
 * body format; see api/fault.ts.
 */
export class GlanceError extends StratusError {
  /** WebOb's `detail` part of the body. */
  readonly detail: string | undefined;
  /** Extra response headers. */
  readonly headers: Record<string, string> | undefined;
  /** The body template of the status. */
  readonly template: FaultTemplate;

  constructor(status: number, explanation?: string, opts: GlanceErrorOptions = {}) {
    super(explanation ?? WEBOB_STATUS[status]?.explanation ?? '', {
      status,
      code: opts.code ?? `image.http_${status}`,
      ...(opts.cause === undefined ? {} : { cause: opts.cause }),
    });
    this.detail = opts.detail;
    this.headers = opts.headers;
    this.template = status === 405 ? 'method' : status === 415 ? 'media' : 'default';
  }
}

/** 400 with Glance's explanation. */
export function badRequest(explanation: string): GlanceError {
  return new GlanceError(400, explanation, { code: 'image.bad_request' });
}

/** 403 with Glance's explanation. */
export function forbidden(explanation: string): GlanceError {
  return new GlanceError(403, explanation, { code: 'image.forbidden' });
}

/** 404; without an explanation WebOb's default is shown. */
export function notFound(explanation?: string): GlanceError {
  return new GlanceError(404, explanation, { code: 'image.not_found' });
}

/** 409 with Glance's explanation. */
export function conflict(explanation: string): GlanceError {
  return new GlanceError(409, explanation, { code: 'image.conflict' });
}

/** 413: a quota or size limit. */
export function overLimit(explanation: string): GlanceError {
  return new GlanceError(413, explanation, { code: 'image.over_limit' });
}

/** 415 whose detail says why (WebOb's 415 template shows only the detail). */
export function unsupportedMediaType(detail: string): GlanceError {
  return new GlanceError(415, undefined, { detail, code: 'image.unsupported_media_type' });
}

/** 405 naming the methods the resource allows. */
export function methodNotAllowed(allowed: string): GlanceError {
  return new GlanceError(405, undefined, {
    headers: { allow: allowed },
    code: 'image.method_not_allowed',
  });
}

/** `You are not authorized to complete X action.`: Glance's policy Forbidden message. */
export function policyForbidden(action: string): GlanceError {
  return forbidden(`You are not authorized to complete ${action} action.`);
}
