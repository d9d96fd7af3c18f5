import { BadRequestError, ForbiddenError, NotFoundError } from '../../../common/errors.js';
import type { ImageClient } from '../../../image/client.js';
import { imageProperties } from '../views/image-view.js';

/** The image fields a boot reads. */
export interface BootImage {
  id: string;
  status: string;
  minRam: number;
  minDisk: number;
  size: number | null;
  /** Every image property outside Glance's core fields (hw_*, os_*, trait:*, ...). */
  properties: Record<string, unknown>;
}

/** Reads images as the caller, so the caller's visibility rules apply (as Nova's glance client). */
export interface ImageLookup {
  get(imageId: string, callerToken: string | undefined): Promise<BootImage>;
}

/** Looks images up through the image client with the caller's token. */
export class ClientImageLookup implements ImageLookup {
  /** `fallbackToken` is sent when the caller has none (noauth2). */
  constructor(
    private readonly client: ImageClient,
    private readonly fallbackToken: string,
  ) {}

  /** The image, or Nova's 400 "Image … could not be found." when it is not visible. */
  async get(imageId: string, callerToken: string | undefined): Promise<BootImage> {
    const body = await this.client
      .show({ token: callerToken ?? this.fallbackToken }, imageId)
      .catch((err: unknown) => {
        if (err instanceof NotFoundError || err instanceof ForbiddenError) {
          throw new BadRequestError(`Image ${imageId} could not be found.`, {
            code: 'compute.image_not_found',
          });
        }
        throw err;
      });
    return {
      id: body.id,
      status: body.status,
      minRam: Number(body.min_ram ?? 0),
      minDisk: Number(body.min_disk ?? 0),
      size: typeof body.size === 'number' ? body.size : null,
      properties: imageProperties(body),
    };
  }
}
