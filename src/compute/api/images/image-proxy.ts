import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  OverLimitError,
  UnauthorizedError,
} from '../../../common/errors.js';
import type { RequestContext } from '../../../platform/auth/request-context.js';
import {
  imagePointer,
  type ImageClient,
  type ImagePatchOp,
  type ImageView,
} from '../../../image/client.js';
import { imageProperties } from '../views/image-view.js';

/**
 * The JSON patch that turns an image's properties into `next`: changed keys replaced, new ones
 * added, missing ones removed (Nova's update with purge_props, as glanceclient sends it).
 */
export function propertiesPatch(image: ImageView, next: Record<string, string>): ImagePatchOp[] {
  const current = imageProperties(image);
  const ops: ImagePatchOp[] = [];
  for (const [key, value] of Object.entries(next)) {
    if (!(key in image)) ops.push({ op: 'add', path: imagePointer(key), value });
    else if (image[key] !== value) ops.push({ op: 'replace', path: imagePointer(key), value });
  }
  for (const key of Object.keys(current)) {
    // Glance's own namespace (import tasks and the like) is not the caller's to remove.
    if (!(key in next) && !key.startsWith('os_glance'))
      ops.push({ op: 'remove', path: imagePointer(key) });
  }
  return ops;
}

/**
 * The compute API's view of the image service, for the deprecated images proxy (until 2.35)
 * and image metadata (until 2.38): calls go through the image client with the caller's token,
 * so the image service applies the caller's visibility; the endpoint comes from the catalog.
 */
export class ImageProxy {
  constructor(private readonly client: ImageClient) {}

  /** The image endpoint, for the `alternate` links. */
  async baseUrl(): Promise<string> {
    return this.client.baseUrl();
  }

  /** One image; 404 "Image not found." when it does not exist or is not visible. */
  async get(ctx: RequestContext, id: string): Promise<ImageView> {
    return this.translate(async (c) => c.show(this.auth(ctx), id));
  }

  /** One page of images matching Glance filters. */
  async list(ctx: RequestContext, query: Record<string, string | number>): Promise<ImageView[]> {
    return this.translate(async (c) => (await c.list(this.auth(ctx), query)).images);
  }

  /** Deletes an image; 403 when the caller may not. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    await this.translate(
      async (c) => c.delete(this.auth(ctx), id),
      'You are not allowed to delete the image.',
    );
  }

  /**
   * Makes `properties` the image's whole set of properties (read as `image`) and answers the
   * image afterwards. Glance's refusals become Nova's: 403 "Not authorized for image …", 400
   * "Request of image … got BadRequest response: …", 404 "Image not found.".
   */
  async setProperties(
    ctx: RequestContext,
    image: ImageView,
    properties: Record<string, string>,
  ): Promise<ImageView> {
    const ops = propertiesPatch(image, properties);
    if (ops.length === 0) return image;
    try {
      return await this.client.update(this.auth(ctx), image.id, ops);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('Image not found.');
      if (err instanceof ForbiddenError || err instanceof UnauthorizedError)
        throw new ForbiddenError(`Not authorized for image ${image.id}.`);
      if (err instanceof BadRequestError) {
        throw new BadRequestError(
          `Request of image ${image.id} got BadRequest response: ${err.message}`,
        );
      }
      // Glance's property quota (413). Nova lets ImageQuotaExceeded become a 500; a quota
      // refusal is the caller's to fix, so it is a 403 as Nova's own metadata quota is.
      if (err instanceof OverLimitError) {
        throw new ForbiddenError(
          `Quota exceeded or out of space for image ${image.id} in the image service.`,
        );
      }
      throw err;
    }
  }

  private auth(ctx: RequestContext) {
    return { token: ctx.authToken ?? '', requestId: ctx.requestId };
  }

  private async translate<T>(fn: (c: ImageClient) => Promise<T>, forbidden?: string): Promise<T> {
    try {
      return await fn(this.client);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('Image not found.');
      if (err instanceof ForbiddenError && forbidden) throw new ForbiddenError(forbidden);
      throw err;
    }
  }
}
