import { ForbiddenError, NotFoundError, StratusError } from '../../../common/errors.js';
import type { RequestContext } from '../../../platform/auth/request-context.js';
import type { ImageClient, ImageView } from '../../../image/client.js';

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

  private auth(ctx: RequestContext) {
    return { token: ctx.authToken ?? '', requestId: ctx.requestId };
  }

  private async translate<T>(fn: (c: ImageClient) => Promise<T>, forbidden?: string): Promise<T> {
    try {
      return await fn(this.client);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('Image not found.');
      if (err instanceof ForbiddenError && forbidden) throw new ForbiddenError(forbidden);
      if (err instanceof StratusError) throw err;
      throw err;
    }
  }
}
