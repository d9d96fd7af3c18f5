import {
  canonicalUuid,
  parseInTree,
  parseMemberOfParams,
  parseResources,
  parseTraitParams,
} from '../query-params.js';
import {
  cacheHeaders,
  checkAcceptJson,
  newest,
  queryOf,
  readJson,
  requireJsonContent,
  validateQuery,
  versionOf,
} from '../request-helpers.js';
import { sendEmpty, sendJson } from '../json-reply.js';
import { Policy } from '../policies.js';
import type { PathRoutes, RouteContext } from '../route-context.js';
import type { PostProviderBody, PutProviderBody } from '../schemas/resource-provider-schemas.js';
import { providerView } from '../views/provider-view.js';
import {
  createResourceProvider,
  deleteResourceProvider,
  requireProvider,
  updateResourceProvider,
} from '../../service/provider-service.js';
import { searchProviders, type ProviderSearch } from '../../service/provider-list-service.js';

/** /resource_providers and /resource_providers/{uuid}. */
export function providerRoutes(ctx: RouteContext): Record<string, PathRoutes> {
  const { deps, checks } = ctx;
  return {
    '/resource_providers': {
      GET: async (req, reply) => {
        checkAcceptJson(req);
        ctx.authorize(req, Policy.RP_LIST);
        const v = versionOf(req);
        const params = queryOf(req);
        const c = checks.listProviders;
        validateQuery(
          params,
          v.atLeast(18)
            ? c.v1_18
            : v.atLeast(14)
              ? c.v1_14
              : v.atLeast(4)
                ? c.v1_4
                : v.atLeast(3)
                  ? c.v1_3
                  : c.v1_0,
        );
        const search: ProviderSearch = {};
        if (params.has('member_of')) search.memberOf = parseMemberOfParams(params, v);
        if (params.has('required')) search.traits = parseTraitParams(params, v);
        const last = (k: string) => params.getAll(k).at(-1);
        if (params.has('uuid')) search.uuid = canonicalUuid(last('uuid')!);
        if (params.has('name')) search.name = last('name')!;
        if (params.has('in_tree')) search.inTree = canonicalUuid(parseInTree(last('in_tree')!));
        if (params.has('resources')) search.resources = parseResources(last('resources')!);
        const providers = await searchProviders(deps, search);
        cacheHeaders(req, reply, newest(providers), deps.clock.now());
        return sendJson(reply, 200, {
          resource_providers: providers.map((p) => providerView(p, v)),
        });
      },
      POST: async (req, reply) => {
        requireJsonContent(req);
        ctx.authorize(req, Policy.RP_CREATE);
        const v = versionOf(req);
        const body = readJson<PostProviderBody>(
          req,
          v.atLeast(14) ? checks.postProvider114 : checks.postProvider,
        );
        const rp = await createResourceProvider(deps, {
          uuid: body.uuid ? canonicalUuid(body.uuid) : deps.ids.uuid(),
          name: body.name,
          parentUuid: body.parent_provider_uuid ? canonicalUuid(body.parent_provider_uuid) : null,
        });
        reply.header('location', `/resource_providers/${rp.uuid}`);
        if (!v.atLeast(20)) return sendEmpty(reply, 201);
        cacheHeaders(req, reply, rp.createdAt, deps.clock.now());
        return sendJson(reply, 200, providerView(rp, v));
      },
    },
    '/resource_providers/:uuid': {
      GET: async (req, reply) => {
        checkAcceptJson(req);
        ctx.authorize(req, Policy.RP_SHOW);
        const { uuid } = req.params as { uuid: string };
        const rp = await requireProvider(deps, uuid);
        cacheHeaders(req, reply, rp.updatedAt ?? rp.createdAt, deps.clock.now());
        return sendJson(reply, 200, providerView(rp, versionOf(req)));
      },
      PUT: async (req, reply) => {
        requireJsonContent(req);
        ctx.authorize(req, Policy.RP_UPDATE);
        const v = versionOf(req);
        const { uuid } = req.params as { uuid: string };
        await requireProvider(deps, uuid);
        const body = readJson<PutProviderBody>(
          req,
          v.atLeast(14) ? checks.putProvider114 : checks.putProvider,
        );
        const input: { name: string; parentUuid?: string | null } = { name: body.name };
        if (body.parent_provider_uuid !== undefined) {
          input.parentUuid =
            body.parent_provider_uuid === null ? null : canonicalUuid(body.parent_provider_uuid);
        }
        const rp = await updateResourceProvider(deps, uuid, input, v.atLeast(37));
        cacheHeaders(req, reply, rp.updatedAt, deps.clock.now());
        return sendJson(reply, 200, providerView(rp, v));
      },
      DELETE: async (req, reply) => {
        ctx.authorize(req, Policy.RP_DELETE);
        const { uuid } = req.params as { uuid: string };
        await deleteResourceProvider(deps, uuid);
        return sendEmpty(reply, 204);
      },
    },
  };
}
