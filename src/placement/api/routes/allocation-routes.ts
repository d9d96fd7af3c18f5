import { isUuidLike } from '../../../common/ids.js';
import { badRequest } from '../../placement-errors.js';
import {
  deleteConsumerAllocations,
  showConsumerAllocations,
  showProviderAllocations,
} from '../../service/allocation-service.js';
import { writeAllocations } from '../../service/allocation-writer.js';
import { sendEmpty, sendJson } from '../json-reply.js';
import type { Microversion } from '../microversion.js';
import { Policy } from '../policies.js';
import { canonicalUuid } from '../query-params.js';
import {
  cacheHeaders,
  checkAcceptJson,
  readJson,
  requireJsonContent,
  requireVersion,
  versionOf,
} from '../request-helpers.js';
import type { PathRoutes, RouteContext } from '../route-context.js';
import type { Check } from '../schema-validator.js';
import type {
  ConsumerAllocationsBody,
  ListAllocationsBody,
} from '../schemas/allocation-schemas.js';
import { allocationWriteFailure, consumerAllocationsFromBody } from './allocation-body.js';

/** /allocations, /allocations/{consumer_uuid} and /resource_providers/{uuid}/allocations. */
export function allocationRoutes(ctx: RouteContext): Record<string, PathRoutes> {
  const { deps, checks } = ctx;
  const now = () => deps.clock.now();
  const putCheck = (v: Microversion): Check => {
    const c = checks.putAllocations;
    if (v.atLeast(38)) return c.v1_38;
    if (v.atLeast(34)) return c.v1_34;
    if (v.atLeast(28)) return c.v1_28;
    if (v.atLeast(12)) return c.v1_12;
    return v.atLeast(8) ? c.v1_8 : c.v1_0;
  };
  const postCheck = (v: Microversion): Check => {
    const c = checks.postAllocations;
    if (v.atLeast(38)) return c.v1_38;
    if (v.atLeast(34)) return c.v1_34;
    return v.atLeast(28) ? c.v1_28 : c.v1_13;
  };
  return {
    '/allocations': {
      POST: async (req, reply) => {
        requireVersion(req, 13);
        requireJsonContent(req);
        ctx.authorize(req, Policy.ALLOC_MANAGE);
        const v = versionOf(req);
        const body = readJson<Record<string, ConsumerAllocationsBody>>(req, postCheck(v));
        const consumers = Object.entries(body).map(([uuid, b]) =>
          consumerAllocationsFromBody(canonicalUuid(uuid), b, v, deps.config),
        );
        try {
          await writeAllocations(deps, consumers, { checkGenerations: v.atLeast(28) });
        } catch (err) {
          throw allocationWriteFailure(err, 'Unable to allocate inventory ');
        }
        return sendEmpty(reply, 204);
      },
    },
    '/allocations/:consumer_uuid': {
      GET: async (req, reply) => {
        checkAcceptJson(req);
        ctx.authorize(req, Policy.ALLOC_LIST);
        const { consumer_uuid: uuid } = req.params as { consumer_uuid: string };
        const v = versionOf(req);
        const { body, lastModified } = await showConsumerAllocations(deps, uuid, v);
        cacheHeaders(req, reply, lastModified, now());
        return sendJson(reply, 200, body);
      },
      PUT: async (req, reply) => {
        requireJsonContent(req);
        ctx.authorize(req, Policy.ALLOC_UPDATE);
        const { consumer_uuid: raw } = req.params as { consumer_uuid: string };
        if (!isUuidLike(raw)) throw badRequest(`Malformed consumer_uuid: ${raw}`);
        const uuid = canonicalUuid(raw);
        const v = versionOf(req);
        const body = readJson<ConsumerAllocationsBody | ListAllocationsBody>(req, putCheck(v));
        const consumer = consumerAllocationsFromBody(uuid, body, v, deps.config);
        try {
          await writeAllocations(deps, [consumer], { checkGenerations: v.atLeast(28) });
        } catch (err) {
          throw allocationWriteFailure(err, `Unable to allocate inventory for consumer ${uuid}: `);
        }
        return sendEmpty(reply, 204);
      },
      DELETE: async (req, reply) => {
        ctx.authorize(req, Policy.ALLOC_DELETE);
        const { consumer_uuid: uuid } = req.params as { consumer_uuid: string };
        await deleteConsumerAllocations(deps, uuid);
        return sendEmpty(reply, 204);
      },
    },
    '/resource_providers/:uuid/allocations': {
      GET: async (req, reply) => {
        checkAcceptJson(req);
        ctx.authorize(req, Policy.RP_ALLOC_LIST);
        const { uuid } = req.params as { uuid: string };
        const { body, lastModified } = await showProviderAllocations(deps, uuid, versionOf(req));
        cacheHeaders(req, reply, lastModified, now());
        return sendJson(reply, 200, body);
      },
    },
  };
}
