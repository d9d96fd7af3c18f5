import type { FastifyInstance } from 'fastify';
import { badRequest, notFound } from '../domain/glance-error.js';
import type { ImageDataService } from '../service/image-data-service.js';
import type { ImageQuotas } from '../service/image-quotas.js';
import { rejectOtherMethods } from './images-routes.js';
import { rejectBody, requiredJsonBody } from './json-body.js';

/** What the import and info routes need. */
export interface ImportRouteDeps {
  data: ImageDataService;
  quotas: ImageQuotas;
  usage: (project: string | null) => Promise<Record<string, { usage: number; limit: number }>>;
  enabledImportMethods: readonly string[];
}

type IdParams = { Params: { image_id: string } };

/** Interoperable image import (POST /v2/images/{id}/import) and the /v2/info documents. */
export function registerImportRoutes(app: FastifyInstance, d: ImportRouteDeps): void {
  app.post<IdParams>('/v2/images/:image_id/import', async (req, reply) => {
    const body = requiredJsonBody(req) as Record<string, unknown>;
    const method = body.method as Record<string, unknown> | undefined;
    if (typeof body !== 'object' || Array.isArray(body) || method === undefined) {
      throw badRequest("Import request requires a 'method' field.");
    }
    if (typeof method !== 'object' || method === null || !('name' in method)) {
      throw badRequest("Import request requires a 'name' field.");
    }
    const name = String(method.name);
    if (!d.enabledImportMethods.includes(name)) {
      throw badRequest(`Unknown import method name '${name}'.`);
    }
    const mustSucceed = body.all_stores_must_succeed ?? true;
    if (typeof mustSucceed !== 'boolean') {
      throw badRequest("'all_stores_must_succeed' must be boolean value only");
    }
    if (typeof (body.all_stores ?? false) !== 'boolean') {
      throw badRequest("'all_stores' must be boolean value only");
    }
    await d.data.startImport(req.context, req.params.image_id, name, mustSucceed);
    return reply.code(202).send();
  });
  rejectOtherMethods(app, '/v2/images/:image_id/import', 'POST');

  app.get('/v2/info/import', async (req) => {
    rejectBody(req);
    return {
      'import-methods': {
        description: 'Import methods available.',
        type: 'array',
        value: [...d.enabledImportMethods],
      },
    };
  });
  rejectOtherMethods(app, '/v2/info/import', 'GET');
  app.get('/v2/info/stores', async (req) => {
    rejectBody(req);
    throw notFound('Multi backend is not supported at this site.');
  });
  rejectOtherMethods(app, '/v2/info/stores', 'GET');
  app.get('/v2/info/usage', async (req) => ({ usage: await d.usage(req.context.projectId) }));
}
