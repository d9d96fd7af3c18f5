import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import {
  BadRequestError,
  MethodNotAllowedError,
  NotFoundError,
  OverLimitError,
  StratusError,
  UnsupportedMediaTypeError,
} from '../../common/errors.js';
import { isRequestId, newRequestId } from '../../common/ids.js';
import type { Metrics } from '../metrics/metrics.js';

/**
 * An API's fault format: turns an error into the status, body and headers it sends, and the
 * body's content type when it is not JSON (Glance's WebOb faults may be HTML or plain text).
 */
export type ErrorRenderer = (
  err: StratusError,
  req: FastifyRequest,
) => { status: number; body: unknown; headers?: Record<string, string>; contentType?: string };

/** What every Stratus API listener is made from. */
export interface HttpServerOptions {
  /** e.g. `compute`, `identity`; labels logs and metrics. */
  service: string;
  logger: Logger;
  metrics?: Metrics | undefined;
  /** Largest request body in bytes ([oslo_middleware] max_request_body_size). */
  bodyLimit: number;
  /** The API's own fault body format. */
  renderError: ErrorRenderer;
  /** Serve the Prometheus metrics at GET /metrics (default true). */
  exposeMetrics?: boolean;
}

/**
 * Converts anything thrown in a handler into a StratusError. Fastify's own errors (bad JSON,
 * body too large, unsupported media type, schema validation) map to their 4xx; unknown
 * errors stay unknown so they render as a 500 and are logged.
 */
export function toStratusError(err: unknown): StratusError | undefined {
  if (err instanceof StratusError) return err;
  const fe = err as FastifyError;
  if (typeof fe?.code !== 'string' && typeof fe?.statusCode !== 'number') return undefined;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new OverLimitError('Request is too large.', { code: 'request_too_large' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaTypeError(`Unsupported Content-Type`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BadRequestError('The request body is empty but the content type is JSON.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new BadRequestError('Malformed request body: the body is not valid JSON.');
    case 'FST_ERR_BAD_URL':
      return new BadRequestError('Malformed request URL.');
    default:
      break;
  }
  if (fe.validation) return new BadRequestError(fe.message);
  if (fe instanceof SyntaxError) return new BadRequestError('Malformed request body.');
  const status = fe.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return new NotFoundError(fe.message);
    if (status === 405) return new MethodNotAllowedError(fe.message);
    if (status === 413) return new OverLimitError(fe.message);
    if (status === 415) return new UnsupportedMediaTypeError(fe.message);
    return new StratusError(fe.message, { status, code: 'bad_request' });
  }
  return undefined;
}

/**
 * Makes a Fastify server with what every Stratus API shares: OpenStack request ids (kept from the
 * caller when well-formed), JSON request logs carrying that id, a body size limit, one error path
 * into the API's fault format, latency metrics and `/metrics`. `close()` finishes in-flight
 * requests before it resolves (graceful shutdown).
 */
export function createHttpServer(opts: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: opts.logger.child({ api: opts.service }) as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit,
    requestIdHeader: false,
    // Stratus logs one line per request itself (onResponse), with the OpenStack request id.
    logController: new LogController({
      requestIdLogLabel: 'request_id',
      disableRequestLogging: true,
    }),
    genReqId: (req) => {
      const given = req.headers['x-openstack-request-id'];
      return isRequestId(given) ? given : newRequestId();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // OpenStack clients send trailing slashes inconsistently (`/v3/` vs `/v3`).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-openstack-request-id', req.id);
  });

  // While closing, answer in-flight requests with `Connection: close` so that keep-alive
  // sockets end with their last response instead of holding close() until they time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (req, reply) => {
    const ms = reply.elapsedTime;
    const route = req.routeOptions.url ?? 'unmatched';
    opts.metrics?.httpDuration.observe(
      { service: opts.service, method: req.method, route, status: String(reply.statusCode) },
      ms / 1000,
    );
    req.log.info(
      { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(ms * 10) / 10 },
      'request',
    );
  });

  const send = (err: StratusError, req: FastifyRequest, reply: FastifyReply) => {
    const r = opts.renderError(err, req);
    if (r.headers) reply.headers(r.headers);
    return reply
      .code(r.status)
      .type(r.contentType ?? 'application/json')
      .send(r.body);
  };

  app.setErrorHandler((err, req, reply) => {
    const known = toStratusError(err);
    if (known && known.status < 500) return send(known, req, reply);
    if (known) {
      req.log.warn({ err }, 'request failed');
      return send(known, req, reply);
    }
    req.log.error({ err }, 'unexpected error');
    return send(
      new StratusError('An unexpected error occurred.', { status: 500, code: 'internal' }),
      req,
      reply,
    );
  });

  app.setNotFoundHandler((req, reply) =>
    send(new NotFoundError('The resource could not be found.'), req, reply),
  );

  if (opts.exposeMetrics ?? true) {
    const metrics = opts.metrics;
    if (metrics) {
      app.get('/metrics', async (_req, reply) => {
        reply.type(metrics.registry.contentType);
        return metrics.registry.metrics();
      });
    }
  }
  return app;
}
