import type { Bus } from '../../../platform/bus/bus.js';

/** Asks compute hosts to pre-cache images (POST /os-aggregates/{id}/images, 2.81). */
export interface ImageCache {
  /** Sends the request to each host; answers before the hosts act, as upstream's casts do. */
  request(hosts: readonly string[], imageIds: readonly string[], requestId: string): Promise<void>;
}

/**
 * Casts `cache_images` to each host's agent (`compute.<host>`), as nova-conductor does for
 * nova-api; an agent that does not implement it ignores the cast.
 */
export class BusImageCache implements ImageCache {
  constructor(private readonly bus: Bus) {}

  async request(
    hosts: readonly string[],
    imageIds: readonly string[],
    requestId: string,
  ): Promise<void> {
    for (const host of hosts) {
      await this.bus.cast(
        `compute.${host}`,
        'cache_images',
        { imageIds: [...imageIds] },
        { requestId },
      );
    }
  }
}

/** For processes without agents (tests): nothing to ask. */
export const NO_IMAGE_CACHE: ImageCache = { request: async () => undefined };
