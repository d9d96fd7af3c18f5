import { withDeadline } from '../../../common/deadline.js';
import { BadRequestError, ServiceUnavailableError, StratusError } from '../../../common/errors.js';
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

/** How to reach the image API. */
export interface HttpImageLookupOptions {
  /** The image endpoint (from the catalog), e.g. `http://127.0.0.1:9292`. */
  endpoint(): Promise<string>;
  /** The token to use when the caller has none (noauth2). */
  fallbackToken: string;
  timeoutMs: number;
}

/** Looks images up over Glance's v2 API with the caller's token. */
export class HttpImageLookup implements ImageLookup {
  constructor(private readonly opts: HttpImageLookupOptions) {}

  /** The image, or Nova's 400 "Image … could not be found." when it is not visible. */
  async get(imageId: string, callerToken: string | undefined): Promise<BootImage> {
    const base = (await this.opts.endpoint()).replace(/\/+$/, '');
    const url = `${base}/v2/images/${encodeURIComponent(imageId)}`;
    const res = await withDeadline(`GET ${url}`, this.opts.timeoutMs, (signal) =>
      fetch(url, {
        signal,
        headers: {
          'x-auth-token': callerToken ?? this.opts.fallbackToken,
          accept: 'application/json',
        },
      }),
    ).catch((err: unknown) => {
      if (err instanceof StratusError) throw err;
      throw new ServiceUnavailableError(
        `The image service is unreachable: ${(err as Error).message}`,
      );
    });
    if (res.status === 404 || res.status === 403) {
      throw new BadRequestError(`Image ${imageId} could not be found.`, {
        code: 'compute.image_not_found',
      });
    }
    if (res.status !== 200) {
      throw new ServiceUnavailableError(
        `The image service answered ${res.status} for image ${imageId}.`,
      );
    }
    const body = (await res.json()) as Record<string, unknown>;
    const properties = imageProperties(body);
    return {
      id: String(body.id),
      status: String(body.status),
      minRam: Number(body.min_ram ?? 0),
      minDisk: Number(body.min_disk ?? 0),
      size: typeof body.size === 'number' ? body.size : null,
      properties,
    };
  }
}
