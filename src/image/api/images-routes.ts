import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, forbidden, methodNotAllowed } from '../domain/glance-error.js';
import type { Visibility } from '../domain/image.js';
import type { CreateImageRequest, ImageService } from '../service/image-service.js';
import type { ImageSchemaValidator } from './image-schema.js';
import { imageView } from './image-view.js';
import { rejectBody, requiredJsonBody } from './json-body.js';
import { linkQuery, parseListParams, queryPairs } from './list-params.js';
import { parsePatch, RESERVED, RESERVED_NAMESPACE } from './patch-body.js';
import { baseUrl } from './versions.js';

/** What the image routes need. */
export interface ImagesRouteDeps {
  images: ImageService;
  schema: ImageSchemaValidator;
  publicEndpoint: string;
  enabledImportMethods: readonly string[];
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Answers every method a resource does not have with Glance's 405 and its Allow header
 * (Glance's RejectMethodController).
 */
export function rejectOtherMethods(
  app: FastifyInstance,
  url: string,
  allowed: string,
  opts: { headServedByGet?: boolean } = {},
): void {
  const ok = allowed.split(',').map((m) => m.trim());
  // Fastify answers HEAD for a GET route itself unless that route opted out.
  const headTaken = ok.includes('GET') && (opts.headServedByGet ?? true);
  const others = HTTP_METHODS.filter((m) => !ok.includes(m) && !(m === 'HEAD' && headTaken));
  app.route({
    method: [...others],
    url,
    handler: async () => {
      throw methodNotAllowed(allowed);
    },
  });
}

/** Attributes a create body may not carry at all (Glance's _disallowed_properties). */
const DISALLOWED = ['direct_url', 'self', 'file', 'schema', 'stores'];
/** Base attributes a create body names (Glance's _base_properties, plus the hash fields). */
const BASE = [
  'checksum',
  'created_at',
  'container_format',
  'disk_format',
  'id',
  'min_disk',
  'min_ram',
  'name',
  'size',
  'virtual_size',
  'status',
  'tags',
  'owner',
  'updated_at',
  'visibility',
  'protected',
  'os_hidden',
  'os_hash_algo',
  'os_hash_value',
];
/** The image factory's read-only attributes, in the order it checks them. */
const FACTORY_READ_ONLY = [
  'created_at',
  'updated_at',
  'status',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'size',
  'virtual_size',
];

/** Turns a create body into a request, with Glance's deserializer checks. */
export function parseCreateBody(body: unknown, schema: ImageSchemaValidator): CreateImageRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest("Provided object does not match schema 'image': the body is not an object");
  }
  const b = { ...(body as Record<string, unknown>) };
  for (const key of DISALLOWED) if (key in b) throw forbidden(`Attribute '${key}' is read-only.`);
  schema.check(b);
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(b)) {
    if (BASE.includes(key)) continue;
    if (key.length > 255) {
      throw badRequest('Custom property should not be greater than 255 characters.');
    }
    if (RESERVED.includes(key) || key.startsWith(RESERVED_NAMESPACE)) {
      throw forbidden(`Attribute '${key}' is reserved.`);
    }
    properties[key] = value as string;
  }
  const req: CreateImageRequest = {
    readOnlyGiven: FACTORY_READ_ONLY.filter((k) => k in b),
    properties,
    tags: (b.tags as string[] | undefined) ?? [],
  };
  if ('id' in b) req.id = b.id as string;
  if ('name' in b) req.name = b.name as string | null;
  if ('visibility' in b) req.visibility = b.visibility as Visibility;
  if ('min_disk' in b) req.minDisk = b.min_disk as number;
  if ('min_ram' in b) req.minRam = b.min_ram as number;
  if ('owner' in b) req.owner = b.owner as string | null;
  if ('protected' in b) req.protected = b.protected as boolean;
  if ('os_hidden' in b) req.osHidden = b.os_hidden as boolean;
  if ('disk_format' in b) req.diskFormat = b.disk_format as string | null;
  if ('container_format' in b) req.containerFormat = b.container_format as string | null;
  return req;
}

type IdParams = { Params: { image_id: string } };
type TagParams = { Params: { image_id: string; tag_value: string } };

function noContent(reply: FastifyReply) {
  return reply.code(204).send();
}

/** Images: create, list, show, update, delete, deactivate/reactivate and tags. */
export function registerImageRoutes(app: FastifyInstance, d: ImagesRouteDeps): void {
  app.post('/v2/images', async (req, reply) => {
    const image = await d.images.create(
      req.context,
      parseCreateBody(requiredJsonBody(req), d.schema),
    );
    reply.code(201).header('location', `${baseUrl(req, d.publicEndpoint)}/v2/images/${image.id}`);
    if (d.enabledImportMethods.length > 0) {
      reply.header('openstack-image-import-methods', d.enabledImportMethods.join(','));
    }
    return imageView(image);
  });
  app.get('/v2/images', async (req: FastifyRequest) => {
    const pairs = queryPairs(req.url);
    const result = await d.images.list(req.context, parseListParams(pairs));
    const first = linkQuery(pairs);
    const body: Record<string, unknown> = {
      images: result.images.map(imageView),
      first: first ? `/v2/images?${first}` : '/v2/images',
      schema: '/v2/schemas/images',
    };
    if (result.nextMarker) body.next = `/v2/images?${linkQuery(pairs, result.nextMarker)}`;
    return body;
  });
  rejectOtherMethods(app, '/v2/images', 'GET, POST');

  app.get<IdParams>('/v2/images/:image_id', async (req) => {
    rejectBody(req);
    return imageView(await d.images.show(req.context, req.params.image_id));
  });
  app.patch<IdParams>('/v2/images/:image_id', async (req) => {
    const changes = parsePatch(req, d.schema);
    return imageView(await d.images.update(req.context, req.params.image_id, changes));
  });
  app.delete<IdParams>('/v2/images/:image_id', async (req, reply) => {
    rejectBody(req);
    await d.images.delete(req.context, req.params.image_id);
    return noContent(reply);
  });
  rejectOtherMethods(app, '/v2/images/:image_id', 'GET, PATCH, DELETE');

  for (const action of ['deactivate', 'reactivate'] as const) {
    const url = `/v2/images/:image_id/actions/${action}`;
    app.post<IdParams>(url, async (req, reply) => {
      rejectBody(req);
      await d.images[action](req.context, req.params.image_id);
      return noContent(reply);
    });
    rejectOtherMethods(app, url, 'POST');
  }

  app.put<TagParams>('/v2/images/:image_id/tags/:tag_value', async (req, reply) => {
    rejectBody(req);
    d.schema.check({ tags: [req.params.tag_value] });
    await d.images.addTag(req.context, req.params.image_id, req.params.tag_value);
    return noContent(reply);
  });
  app.delete<TagParams>('/v2/images/:image_id/tags/:tag_value', async (req, reply) => {
    rejectBody(req);
    await d.images.removeTag(req.context, req.params.image_id, req.params.tag_value);
    return noContent(reply);
  });
  rejectOtherMethods(app, '/v2/images/:image_id/tags/:tag_value', 'PUT, DELETE');
}
