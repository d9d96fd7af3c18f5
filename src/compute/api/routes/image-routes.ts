import { BadRequestError, NotFoundError } from '../../../common/errors.js';
import type { ImageProxy } from '../images/image-proxy.js';
import { Versioned } from '../microversion/versioned.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall, Handler, RouteSpec } from '../routing/route-spec.js';
import {
  imageListQueries,
  imageMetadataSchemas,
  imageMetaItemSchemas,
} from '../schemas/image-schemas.js';
import { imageBrief, imageDetail, imageProperties } from '../views/image-view.js';

/** Nova 2.36: the image proxy is gone (until then it answers). */
const proxy = (h: Handler) => new Versioned<Handler>([[['2.0', '2.35'], h]]);
/** Nova 2.39: image metadata through the compute API is gone. */
const metaProxy = (h: Handler) => new Versioned<Handler>([[['2.0', '2.38'], h]]);

/** Maps the legacy filters to Glance v2's, as upstream's glance client does. */
function glanceQuery(call: ApiCall): Record<string, string | number> {
  const q: Record<string, string | number> = {};
  const take = (from: string, to: string, map: (v: string) => string = (v) => v) => {
    const v = call.query.get(from);
    if (v !== undefined) q[to] = map(v);
  };
  take('name', 'name');
  take('status', 'status', (v) => v.toLowerCase());
  take('changes-since', 'updated_at', (v) => `gte:${v}`);
  take('server', 'instance_uuid', (v) => v.split('/').pop()!);
  take('type', 'image_type');
  take('marker', 'marker');
  for (const [k, v] of call.query.entries())
    if (k.startsWith('property-')) q[k.slice('property-'.length)] = v;
  const limit = call.query.get('limit') ?? call.query.get('page_size');
  if (limit !== undefined) q.limit = Number(limit);
  return q;
}

async function list(images: ImageProxy, call: ApiCall, detail: boolean): Promise<unknown> {
  const minRam = Number(call.query.get('minRam') ?? 0) || 0;
  const minDisk = Number(call.query.get('minDisk') ?? 0) || 0;
  const found = (await images.list(call.context, glanceQuery(call))).filter(
    (i) => Number(i.min_ram ?? 0) >= minRam && Number(i.min_disk ?? 0) >= minDisk,
  );
  const glanceUrl = await images.baseUrl();
  const render = detail ? imageDetail : imageBrief;
  const body: Record<string, unknown> = {
    images: found.map((image) => render({ image, links: call.links, glanceUrl })),
  };
  const next = call.links.collection(found, detail ? 'images/detail' : 'images', (i) => i.id);
  if (next.length) body.images_links = next;
  return body;
}

/**
 * Nova's check_img_metadata_properties_quota: the properties an image ends with count against
 * the caller's metadata_items limit (an empty set is never checked).
 */
async function checkQuota(deps: ApiDeps, call: ApiCall, props: object): Promise<void> {
  const n = Object.keys(props).length;
  if (n === 0) return;
  await deps.quotas.limitCheck(
    'metadata_items',
    n,
    call.context.projectId ?? '',
    call.context.userId,
    'Image metadata limit exceeded',
  );
}

/** The properties as Glance stores them: strings (the schema admits only strings). */
function stringProps(props: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, String(v)]));
}

/**
 * The deprecated image proxy: GET/DELETE /images (until 2.35) and the image metadata routes
 * (until 2.38), passed to the image service with the caller's token. Without an image service
 * in the catalog they are not mounted.
 */
export function imageRoutes(deps: ApiDeps): RouteSpec[] {
  const images = deps.images;
  if (!images) return [];
  const base = '/images/:image_id/metadata';
  return [
    {
      method: 'GET',
      path: '/images',
      query: imageListQueries,
      handler: proxy((c) => list(images, c, false)),
    },
    {
      method: 'GET',
      path: '/images/detail',
      query: imageListQueries,
      handler: proxy((c) => list(images, c, true)),
    },
    {
      method: 'GET',
      path: '/images/:image_id',
      handler: proxy(async (call) => {
        const image = await images.get(call.context, call.params.image_id!);
        return {
          image: imageDetail({ image, links: call.links, glanceUrl: await images.baseUrl() }),
        };
      }),
    },
    {
      method: 'DELETE',
      path: '/images/:image_id',
      status: 204,
      handler: proxy(async (call) => {
        await images.delete(call.context, call.params.image_id!);
        return undefined;
      }),
    },
    {
      method: 'GET',
      path: base,
      handler: metaProxy(async (call) => ({
        metadata: imageProperties(await images.get(call.context, call.params.image_id!)),
      })),
    },
    {
      method: 'GET',
      path: `${base}/:key`,
      handler: metaProxy(async (call) => {
        const props = imageProperties(await images.get(call.context, call.params.image_id!));
        const key = call.params.key!;
        if (!(key in props)) throw new NotFoundError('The resource could not be found.');
        return { meta: { [key]: props[key] } };
      }),
    },
    {
      // Merges items into the image's properties; answers them all afterwards.
      method: 'POST',
      path: base,
      body: imageMetadataSchemas,
      handler: metaProxy(async (call) => {
        const image = await images.get(call.context, call.params.image_id!);
        const items = (call.body as { metadata: Record<string, string> }).metadata;
        const props = { ...stringProps(imageProperties(image)), ...items };
        await checkQuota(deps, call, props);
        const updated = await images.setProperties(call.context, image, props);
        return { metadata: imageProperties(updated) };
      }),
    },
    {
      // Replaces the image's properties with the body's.
      method: 'PUT',
      path: base,
      body: imageMetadataSchemas,
      handler: metaProxy(async (call) => {
        const image = await images.get(call.context, call.params.image_id!);
        const metadata = (call.body as { metadata: Record<string, string> }).metadata;
        await checkQuota(deps, call, metadata);
        await images.setProperties(call.context, image, metadata);
        return { metadata };
      }),
    },
    {
      method: 'PUT',
      path: `${base}/:key`,
      body: imageMetaItemSchemas,
      handler: metaProxy(async (call) => {
        const key = call.params.key!;
        const meta = (call.body as { meta: Record<string, string> }).meta;
        if (!(key in meta)) throw new BadRequestError('Request body and URI mismatch');
        const image = await images.get(call.context, call.params.image_id!);
        const props = { ...stringProps(imageProperties(image)), [key]: meta[key]! };
        await checkQuota(deps, call, props);
        await images.setProperties(call.context, image, props);
        return { meta };
      }),
    },
    {
      method: 'DELETE',
      path: `${base}/:key`,
      status: 204,
      handler: metaProxy(async (call) => {
        const key = call.params.key!;
        const image = await images.get(call.context, call.params.image_id!);
        const props = stringProps(imageProperties(image));
        if (!(key in props)) throw new NotFoundError('Invalid metadata key');
        delete props[key];
        await images.setProperties(call.context, image, props);
        return undefined;
      }),
    },
  ];
}
