import { ErrorCode, PlacementError, conflict } from '../../placement-errors.js';
import {
  addInventory,
  changeInventory,
  providerInventories,
  providerInventory,
  removeAllInventories,
  removeInventory,
  replaceAllInventories,
  withDefaults,
} from '../../service/inventory-service.js';
import { requireProvider } from '../../service/provider-service.js';
import { sendEmpty, sendJson } from '../json-reply.js';
import { Policy } from '../policies.js';
import {
  cacheHeaders,
  checkAcceptJson,
  newest,
  readJson,
  requireJsonContent,
  versionOf,
} from '../request-helpers.js';
import type { PathRoutes, RouteContext } from '../route-context.js';
import type {
  PostInventoryBody,
  PutInventoriesBody,
  PutInventoryBody,
} from '../schemas/inventory-schemas.js';
import { inventoriesView, inventoryView } from '../views/inventory-view.js';

/** /resource_providers/{uuid}/inventories[/{resource_class}]. */
export function inventoryRoutes(ctx: RouteContext): Record<string, PathRoutes> {
  const { deps, checks } = ctx;
  const now = () => deps.clock.now();
  return {
    '/resource_providers/:uuid/inventories': {
      GET: async (req, reply) => {
        checkAcceptJson(req);
        ctx.authorize(req, Policy.INV_LIST);
        const { uuid } = req.params as { uuid: string };
        const { provider, inventories } = await providerInventories(deps, uuid);
        cacheHeaders(req, reply, newest(inventories), now());
        return sendJson(reply, 200, inventoriesView(inventories, provider.generation));
      },
      POST: async (req, reply) => {
        requireJsonContent(req);
        ctx.authorize(req, Policy.INV_CREATE);
        const { uuid } = req.params as { uuid: string };
        await requireProvider(deps, uuid);
        const body = readJson<PostInventoryBody>(req, checks.postInventory);
        const { resource_class: rc, resource_provider_generation: _gen, ...fields } = body;
        const { provider, inventory } = await addInventory(
          deps,
          versionOf(req),
          uuid,
          rc,
          withDefaults(fields),
        );
        reply.header('location', `/resource_providers/${uuid}/inventories/${rc}`);
        cacheHeaders(req, reply, inventory.createdAt, now());
        return sendJson(reply, 201, inventoryView(inventory, provider.generation));
      },
      PUT: async (req, reply) => {
        requireJsonContent(req);
        ctx.authorize(req, Policy.INV_UPDATE);
        const { uuid } = req.params as { uuid: string };
        await requireProvider(deps, uuid);
        const body = readJson<PutInventoriesBody>(req, checks.putInventories);
        const wanted = new Map(
          Object.entries(body.inventories).map(
            ([rc, { resource_provider_generation: _g, ...f }]) => [rc, withDefaults(f)],
          ),
        );
        const { provider, inventories } = await replaceAllInventories(
          deps,
          versionOf(req),
          uuid,
          body.resource_provider_generation,
          wanted,
        );
        cacheHeaders(req, reply, newest(inventories), now());
        return sendJson(reply, 200, inventoriesView(inventories, provider.generation));
      },
      DELETE: async (req, reply) => {
        // DELETE of all inventory exists from 1.5; before, the method is not allowed (405).
        if (!versionOf(req).atLeast(5)) throw new PlacementError(405, '');
        ctx.authorize(req, Policy.INV_DELETE);
        const { uuid } = req.params as { uuid: string };
        await removeAllInventories(deps, uuid);
        return sendEmpty(reply, 204);
      },
    },
    '/resource_providers/:uuid/inventories/:resource_class': {
      GET: async (req, reply) => {
        checkAcceptJson(req);
        ctx.authorize(req, Policy.INV_SHOW);
        const { uuid, resource_class: rc } = req.params as { uuid: string; resource_class: string };
        const { provider, inventory } = await providerInventory(deps, uuid, rc);
        cacheHeaders(req, reply, inventory.updatedAt ?? inventory.createdAt, now());
        return sendJson(reply, 200, inventoryView(inventory, provider.generation));
      },
      PUT: async (req, reply) => {
        requireJsonContent(req);
        ctx.authorize(req, Policy.INV_UPDATE);
        const { uuid, resource_class: rc } = req.params as { uuid: string; resource_class: string };
        const rp = await requireProvider(deps, uuid);
        const body = readJson<PutInventoryBody>(req, checks.putInventory);
        const { resource_provider_generation: gen, ...fields } = body;
        if (gen !== rp.generation) {
          throw conflict('resource provider generation conflict', ErrorCode.CONCURRENT_UPDATE);
        }
        const { provider, inventory } = await changeInventory(
          deps,
          versionOf(req),
          uuid,
          rc,
          gen,
          withDefaults(fields),
        );
        cacheHeaders(req, reply, inventory.updatedAt ?? inventory.createdAt, now());
        return sendJson(reply, 200, inventoryView(inventory, provider.generation));
      },
      DELETE: async (req, reply) => {
        ctx.authorize(req, Policy.INV_DELETE);
        const { uuid, resource_class: rc } = req.params as { uuid: string; resource_class: string };
        await removeInventory(deps, uuid, rc);
        return sendEmpty(reply, 204);
      },
    },
  };
}
