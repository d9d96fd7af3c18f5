import type { FastifyInstance } from 'fastify';
import { rejectOtherMethods } from './images-routes.js';
import { collectionSchemaDoc, imageSchemaDoc, memberSchemaDoc } from './image-schema.js';

/** The JSON schemas clients such as glanceclient read (GET /v2/schemas/...). */
export function registerSchemaRoutes(
  app: FastifyInstance,
  diskFormats: readonly string[],
  containerFormats: readonly string[],
): void {
  const image = imageSchemaDoc(diskFormats, containerFormats);
  const member = memberSchemaDoc();
  const docs: Record<string, object> = {
    image,
    images: collectionSchemaDoc('images', image),
    member,
    members: collectionSchemaDoc('members', member),
  };
  for (const [name, doc] of Object.entries(docs)) {
    app.get(`/v2/schemas/${name}`, async () => doc);
    rejectOtherMethods(app, `/v2/schemas/${name}`, 'GET');
  }
}
