import type { ServiceModule } from '../platform/service/service-module.js';
import { imageMigrations } from './db/image-migrations.js';
import { imageOptions, type ImageOptions } from './image-options.js';
import { assembleImageService, imageSettings } from './image-runtime.js';
import { IMAGE_POLICIES } from './service/image-policies.js';

/** The image service (`stratus image`): a Glance v2 API on port 9292 with a file store. */
export const imageModule: ServiceModule<ImageOptions> = {
  name: 'image',
  binary: 'stratus-image',
  description: 'image API (Glance v2): images, data upload and download, sharing, import',
  options: imageOptions(),
  migrations: (config) => [{ url: config.image_database.connection, set: imageMigrations }],
  catalogEntries: (config) => [
    {
      type: 'image',
      name: 'glance',
      url: `http://${config.DEFAULT.my_ip}:${config.image.bind_port}`,
    },
  ],
  async start(ctx) {
    const { config } = ctx;
    const settings = imageSettings(config);
    const runtime = assembleImageService({
      database: await ctx.database(config.image_database.connection),
      clock: ctx.clock,
      ids: ctx.ids,
      logger: ctx.logger,
      metrics: ctx.metrics,
      enforcer: ctx.createEnforcer(IMAGE_POLICIES),
      validator: ctx.auth,
      host: config.DEFAULT.host,
      bodyLimit: config.oslo_middleware.max_request_body_size,
      ...identityUri(ctx.catalog),
      settings,
    });
    await runtime.data.recover();
    const address = await runtime.app.listen({
      host: config.image.bind_host,
      port: config.image.bind_port,
    });
    return {
      endpoints: [address],
      async stop() {
        await runtime.app.close();
        await runtime.data.drain();
      },
    };
  },
};

function identityUri(catalog: { type: string; url: string }[]): { identityUri?: string } {
  const url = catalog.find((e) => e.type === 'identity')?.url;
  return url ? { identityUri: url } : {};
}
