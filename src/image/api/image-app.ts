import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installAuthHook } from '../../platform/auth/auth-hook.js';
import type { TokenValidator } from '../../platform/auth/request-context.js';
import { createHttpServer } from '../../platform/http/create-http-server.js';
import type { Metrics } from '../../platform/metrics/metrics.js';
import type { ImageDataService } from '../service/image-data-service.js';
import type { ImageQuotas } from '../service/image-quotas.js';
import type { ImageService } from '../service/image-service.js';
import type { MemberService } from '../service/member-service.js';
import { registerDataRoutes } from './data-routes.js';
import { glanceErrorRenderer } from './fault.js';
import { ImageSchemaValidator } from './image-schema.js';
import { registerImageRoutes } from './images-routes.js';
import { registerImportRoutes, type ImportRouteDeps } from './import-routes.js';
import { installTextBody } from './json-body.js';
import { registerMemberRoutes } from './members-routes.js';
import { registerSchemaRoutes } from './schema-routes.js';
import { isUnversionedPath, registerVersionRoutes } from './versions.js';

/** What the image API is made of. */
export interface ImageAppOptions {
  logger: Logger;
  metrics?: Metrics;
  /** Largest JSON body ([oslo_middleware] max_request_body_size); image data is not limited. */
  bodyLimit: number;
  validator: TokenValidator;
  /** Identity's public URL, for the WWW-Authenticate header of a 401. */
  identityUri?: string;
  publicEndpoint: string;
  diskFormats: readonly string[];
  containerFormats: readonly string[];
  enabledImportMethods: readonly string[];
  images: ImageService;
  data: ImageDataService;
  members: MemberService;
  quotas: ImageQuotas;
  usage: ImportRouteDeps['usage'];
}

/** Routes anyone may call without a token. */
const PUBLIC_ROUTES = new Set(['/', '/versions', '/metrics']);

/** Builds the Glance v2 API: version discovery, images, data, members, import, schemas. */
export function createImageApp(o: ImageAppOptions): FastifyInstance {
  const app = createHttpServer({
    service: 'image',
    logger: o.logger,
    metrics: o.metrics,
    bodyLimit: o.bodyLimit,
    renderError: glanceErrorRenderer(o.identityUri),
  });
  installAuthHook(app, {
    validator: o.validator,
    publicRoutes: (req) => {
      const route = req.routeOptions.url ?? '';
      return PUBLIC_ROUTES.has(route) || (route === '/*' && isUnversionedPath(req.url));
    },
  });
  registerVersionRoutes(app, o.publicEndpoint);
  const schema = new ImageSchemaValidator(o.diskFormats, o.containerFormats);
  void app.register(async (api) => {
    installTextBody(api);
    registerImageRoutes(api, {
      images: o.images,
      schema,
      publicEndpoint: o.publicEndpoint,
      enabledImportMethods: o.enabledImportMethods,
    });
    registerDataRoutes(api, { data: o.data, enabledImportMethods: o.enabledImportMethods });
    registerMemberRoutes(api, o.members);
    registerImportRoutes(api, {
      data: o.data,
      quotas: o.quotas,
      usage: o.usage,
      enabledImportMethods: o.enabledImportMethods,
    });
    registerSchemaRoutes(api, o.diskFormats, o.containerFormats);
  });
  return app;
}
