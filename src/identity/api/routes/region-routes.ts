import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError } from '../../../common/errors.js';
import { badRequest } from '../../identity-errors.js';
import type { Region } from '../../store/catalog-store.js';
import { authorize, newId, type IdentityApiDeps } from '../identity-api.js';
import { listHints, wrapCollection } from '../list-query.js';
import { extraOf, param } from '../request-body.js';
import { RegionCreate, RegionUpdate } from '../schemas/catalog-schemas.js';
import { renderRegion } from '../views/catalog-views.js';

const COLUMNS = ['id', 'description', 'parent_region_id'];

/** `/v3/regions`. */
export function registerRegionRoutes(app: FastifyInstance, deps: IdentityApiDeps): void {
  const checkCreate = deps.schemas.compile(RegionCreate);
  const checkUpdate = deps.schemas.compile(RegionUpdate);
  const { catalog } = deps.store;

  /** keystone's region checks: the parent exists and no region becomes its own ancestor. */
  const checkParent = async (id: string, parentId: string | null) => {
    let cursor = parentId;
    for (let depth = 0; cursor && depth < 64; depth++) {
      if (cursor === id) {
        throw new BadRequestError(
          `Circular reference or a repeated entry found in region tree - ${id}.`,
          { code: 'identity.validation' },
        );
      }
      const parent: Region | undefined = await catalog.findRegion(cursor);
      if (!parent) throw badRequest(`Could not find region: ${cursor}.`);
      cursor = parent.parentRegionId;
    }
  };

  const create = async (req: FastifyRequest, id: string) => {
    const { region } = checkCreate(req.body);
    authorize(deps, req, 'identity:create_region');
    const parentId = region.parent_region_id ?? null;
    await checkParent(id, parentId);
    return catalog.createRegion({
      id,
      description: region.description ?? '',
      parentRegionId: parentId,
      extra: extraOf(region, COLUMNS),
    });
  };

  app.get('/v3/regions', async (req) => {
    authorize(deps, req, 'identity:list_regions');
    return wrapCollection(
      req,
      'regions',
      (await catalog.listRegions()).map((r) => renderRegion(req, r)),
      listHints(req, ['parent_region_id']),
    );
  });

  app.post('/v3/regions', async (req, reply) => {
    const given = (req.body as { region?: { id?: unknown } } | undefined)?.region?.id;
    const region = await create(req, typeof given === 'string' ? given : newId(deps.ids));
    reply.code(201);
    return { region: renderRegion(req, region) };
  });

  app.put('/v3/regions/:region_id', async (req, reply) => {
    const id = param(req, 'region_id');
    const given = (req.body as { region?: { id?: unknown } } | undefined)?.region?.id;
    if (given !== undefined && given !== id) {
      throw badRequest(
        `The region ID in the URL (${id}) does not match the ID in the request body (${String(given)}).`,
      );
    }
    const region = await create(req, id);
    reply.code(201);
    return { region: renderRegion(req, region) };
  });

  app.get('/v3/regions/:region_id', async (req) => {
    authorize(deps, req, 'identity:get_region');
    return { region: renderRegion(req, await catalog.getRegion(param(req, 'region_id'))) };
  });

  app.patch('/v3/regions/:region_id', async (req) => {
    const id = param(req, 'region_id');
    const { region } = checkUpdate(req.body);
    authorize(deps, req, 'identity:update_region');
    const current = await catalog.getRegion(id);
    const parentId =
      region.parent_region_id !== undefined ? region.parent_region_id : current.parentRegionId;
    await checkParent(id, parentId);
    const updated = await catalog.updateRegion({
      ...current,
      ...(region.description !== undefined ? { description: region.description } : {}),
      parentRegionId: parentId,
      extra: { ...current.extra, ...extraOf(region, COLUMNS) },
    });
    return { region: renderRegion(req, updated) };
  });

  app.delete('/v3/regions/:region_id', async (req, reply) => {
    authorize(deps, req, 'identity:delete_region');
    await catalog.deleteRegion(param(req, 'region_id'));
    return reply.code(204).send();
  });
}
