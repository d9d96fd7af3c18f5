import type { FastifyRequest } from 'fastify';
import type { StratusError } from '../../common/errors.js';
import type { ErrorRenderer } from '../../platform/http/create-http-server.js';
import { GlanceError, WEBOB_STATUS, type FaultTemplate } from '../domain/glance-error.js';

/** The parts of a WebOb fault body. */
interface FaultParts {
  status: number;
  explanation: string;
  detail: string;
  template: FaultTemplate;
}

type Offer = 'text/html' | 'application/json';

/**
 * Which representation WebOb's generate_response picks from the Accept header: the offer with
 * the highest q (HTML winning ties, as it is offered first); no acceptable offer, or an empty
 * or missing header, gives plain text.
 */
export function negotiateFault(accept: string | undefined): Offer | 'text/plain' {
  if (!accept || accept.trim() === '') return 'text/plain';
  const ranges = accept.split(',').flatMap((part) => {
    const [type, ...params] = part.trim().split(';');
    if (!type) return [];
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k?.trim().toLowerCase() === 'q' && v !== undefined) q = Number(v);
    }
    return [{ type: type.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0 }];
  });
  const offers: Offer[] = ['text/html', 'application/json'];
  let best: { offer: Offer; q: number } | undefined;
  for (const offer of offers) {
    const [main] = offer.split('/');
    // The most specific range decides: exact type, then type/*, then */*.
    const range =
      ranges.find((r) => r.type === offer) ??
      ranges.find((r) => r.type === `${main}/*`) ??
      ranges.find((r) => r.type === '*/*');
    if (range && range.q > 0 && (!best || range.q > best.q)) best = { offer, q: range.q };
  }
  return best?.offer ?? 'text/plain';
}

function htmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#x27;');
}

/** WebOb's body templates: the default one, and those of 405 and 415 that name the request. */
function makeBody(p: FaultParts, req: FastifyRequest, escape: (s: string) => string): string {
  const detail = escape(p.detail);
  switch (p.template) {
    case 'method':
      return `The method ${req.method} is not allowed for this resource. <br /><br />\n${detail}`;
    case 'media': {
      // WebOb substitutes the request's CONTENT_TYPE, leaving the placeholder when there is none.
      const ct = req.headers['content-type'];
      return `The request media type ${ct === undefined ? '${CONTENT_TYPE}' : escape(ct)} is not supported by this server.\n<br /><br />\n${detail}`;
    }
    default:
      return `${escape(p.explanation)}<br /><br />\n${detail}\n\n`;
  }
}

function stripTags(s: string): string {
  return s
    .replace(/\n/g, ' ')
    .replace(/\r/g, '')
    .replace(/<br.*?>/gis, '\n')
    .replace(/<!--|-->/g, '')
    .replace(/<.*?>/gs, '');
}

/** Renders a fault exactly as WebOb would for this request: JSON, HTML or plain text. */
export function renderWebobFault(
  p: FaultParts,
  req: FastifyRequest,
): { body: string; contentType: string } {
  const statusLine = `${p.status} ${WEBOB_STATUS[p.status]?.title ?? 'Error'}`;
  const kind = negotiateFault(req.headers.accept);
  if (kind === 'application/json') {
    const body = makeBody(p, req, (s) => s);
    return {
      body: JSON.stringify({
        message: body,
        code: statusLine,
        title: WEBOB_STATUS[p.status]?.title,
      }),
      contentType: 'application/json',
    };
  }
  if (kind === 'text/html') {
    const body = makeBody(p, req, htmlEscape);
    return {
      body: `<html>\n <head>\n  <title>${statusLine}</title>\n </head>\n <body>\n  <h1>${statusLine}</h1>\n  ${body}\n </body>\n</html>`,
      contentType: 'text/html; charset=UTF-8',
    };
  }
  return {
    body: `${statusLine}\n\n${stripTags(makeBody(p, req, (s) => s))}`,
    contentType: 'text/plain; charset=UTF-8',
  };
}

/**
 * The image API's error renderer. A missing or invalid token gets keystonemiddleware's JSON 401
 * with its WWW-Authenticate header; every other error is a WebOb fault, as Glance sends them.
 */
export function glanceErrorRenderer(identityUri: string | undefined): ErrorRenderer {
  return (err: StratusError, req: FastifyRequest) => {
    if (err.status === 401) {
      return {
        status: 401,
        body: {
          error: {
            code: 401,
            title: 'Unauthorized',
            message: 'The request you have made requires authentication.',
          },
        },
        headers: { 'www-authenticate': `Keystone uri="${identityUri ?? ''}"` },
      };
    }
    const glance = err instanceof GlanceError ? err : undefined;
    const status = WEBOB_STATUS[err.status] ? err.status : err.status >= 500 ? 500 : 400;
    const parts: FaultParts = {
      status,
      // Unexpected errors never show their message.
      explanation: status >= 500 && !glance ? WEBOB_STATUS[500]!.explanation : err.message,
      detail: glance?.detail ?? '',
      template:
        glance?.template ?? (status === 405 ? 'method' : status === 415 ? 'media' : 'default'),
    };
    const r = renderWebobFault(parts, req);
    return { status, body: r.body, contentType: r.contentType, headers: glance?.headers ?? {} };
  };
}
