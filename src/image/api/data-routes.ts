import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, GlanceError, notFound, unsupportedMediaType } from '../domain/glance-error.js';
import type { ImageRecord } from '../domain/image.js';
import type { ImageDataService } from '../service/image-data-service.js';
import { rejectOtherMethods } from './images-routes.js';
import { rejectBody } from './json-body.js';

/** What the data routes need. */
export interface DataRouteDeps {
  data: ImageDataService;
  enabledImportMethods: readonly string[];
}

type IdParams = { Params: { image_id: string } };

/** Glance accepts image data only as application/octet-stream. */
function checkOctetStream(req: FastifyRequest): void {
  const ct = req.headers['content-type'];
  const type = ct === undefined ? undefined : ct.split(';')[0]!.trim();
  if (type !== 'application/octet-stream') {
    throw unsupportedMediaType(`Invalid content type ${type ?? 'None'}`);
  }
}

/** The size the client announces: x-openstack-image-size, else Content-Length, else unknown. */
function declaredSize(req: FastifyRequest): number | null {
  const header = req.headers['x-openstack-image-size'] ?? req.headers['content-length'];
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || text === '') return null;
  if (!/^\s*\d+\s*$/.test(text)) {
    throw badRequest('Invalid or missing image size in request headers.');
  }
  return Number(text) || null;
}

function rangeError(message: string): GlanceError {
  return new GlanceError(416, message);
}

/**
 * The byte range a download asks for, as Glance reads it (WebOb's Range, and for old clients
 * Content-Range in the request): [offset, offset + length) of the image, or undefined for all.
 */
export function requestedRange(
  req: FastifyRequest,
  size: number,
): { offset: number; length: number } | undefined {
  const range = req.headers.range;
  if (range !== undefined) {
    if (range.includes(',')) {
      throw badRequest(
        'Requests with multiple ranges are not supported in Glance. You may make multiple single-range requests instead.',
      );
    }
    const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(range);
    let start: number | undefined;
    let end: number | undefined; // exclusive, as WebOb's Range
    if (m && m[1] !== '') {
      start = Number(m[1]);
      if (m[2] !== '') end = Number(m[2]) + 1;
    } else if (m && m[2] !== '') {
      start = -Number(m[2]);
    }
    if (start === undefined || (end !== undefined && end <= start)) {
      throw rangeError('Invalid Range header.');
    }
    if (start >= size) {
      throw rangeError(
        `Invalid start position in Range header. Start position MUST be in the inclusive range [0, ${size - 1}].`,
      );
    }
    const offset = start >= 0 ? start : Math.abs(start) < size ? size + start : 0;
    const length = end !== undefined && end < size ? end - offset : size - offset;
    return { offset, length };
  }
  const contentRange = req.headers['content-range'];
  if (contentRange !== undefined) {
    const m = /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(contentRange);
    const start = m ? Number(m[1]) : NaN;
    const stop = m ? Number(m[2]) + 1 : NaN;
    if (!m || stop <= start) throw rangeError('Invalid Content-Range header.');
    if (m[3] === '*' && stop > size) {
      throw rangeError(
        `Invalid stop position in Content-Range header. The stop position MUST be in the inclusive range [0, ${size - 1}].`,
      );
    }
    if (start >= size) {
      throw rangeError(
        `Invalid start position in Content-Range header. Start position MUST be in the inclusive range [0, ${size - 1}].`,
      );
    }
    return { offset: start, length: stop - start };
  }
  return undefined;
}

/**
 * Image data routes: upload and stage take the body as a stream (never buffered, and not
 * subject to the JSON body limit), download streams the data back with Content-MD5 and Range
 * support; import and the import discovery document.
 */
export function registerDataRoutes(app: FastifyInstance, d: DataRouteDeps): void {
  void app.register(async (streams) => {
    streams.removeAllContentTypeParsers();
    // The raw request stream goes to the handler, whatever the type; the handler checks it.
    streams.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    streams.put<IdParams>('/v2/images/:image_id/file', async (req, reply) => {
      checkOctetStream(req);
      const size = declaredSize(req);
      await d.data.upload(req.context, req.params.image_id, bodyStream(req), size);
      return reply.code(204).send();
    });
    streams.put<IdParams>('/v2/images/:image_id/stage', async (req, reply) => {
      if (!d.enabledImportMethods.includes('glance-direct')) {
        throw notFound("'glance-direct' method is not available at this site.");
      }
      checkOctetStream(req);
      const size = declaredSize(req);
      await d.data.stage(req.context, req.params.image_id, bodyStream(req), size);
      return reply.code(204).send();
    });
  });

  app.get<IdParams>('/v2/images/:image_id/file', { exposeHeadRoute: false }, async (req, reply) => {
    rejectBody(req);
    const image = await d.data.downloadable(req.context, req.params.image_id);
    const range =
      image.location && image.size !== null ? requestedRange(req, image.size) : undefined;
    const stream = await d.data.read(
      image,
      range ? { start: range.offset, end: range.offset + range.length - 1 } : undefined,
    );
    if (!stream) return reply.code(204).send();
    return sendData(reply, image, stream, range);
  });
  rejectOtherMethods(app, '/v2/images/:image_id/file', 'GET, PUT', { headServedByGet: false });
  rejectOtherMethods(app, '/v2/images/:image_id/stage', 'PUT');
}

function bodyStream(req: FastifyRequest): Readable {
  return req.body as Readable;
}

function sendData(
  reply: import('fastify').FastifyReply,
  image: ImageRecord,
  stream: Readable,
  range: { offset: number; length: number } | undefined,
) {
  const size = image.size ?? 0;
  reply.header('content-type', 'application/octet-stream');
  if (range) {
    reply
      .code(206)
      .header('content-range', `bytes ${range.offset}-${range.offset + range.length - 1}/${size}`);
  }
  if (image.checksum) reply.header('content-md5', image.checksum);
  reply.header('content-length', String(range ? range.length : size));
  return reply.send(stream);
}
