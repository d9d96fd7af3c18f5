import { badRequest } from '../../placement-errors.js';
import {
  clearTraitsOfProvider,
  ensureTrait,
  removeTrait,
  searchTraits,
  setTraitsOfProvider,
  showTrait,
  traitsOfProvider,
} from '../../service/trait-service.js';
import type { TraitFilter } from '../../store/traits.js';
import { sendEmpty, sendJson } from '../json-reply.js';
import { Policy } from '../policies.js';
import {
  cacheHeaders,
  checkAcceptJson,
  newest,
  queryOf,
  readJson,
  requireJsonContent,
  requireVersion,
  validateQuery,
} from '../request-helpers.js';
import type { PathRoutes, RouteContext } from '../route-context.js';

function parseNameFilter(value: string): TraitFilter {
  const i = value.indexOf(':');
  if (i < 0) {
    throw badRequest(
      'Badly formatted name parameter. Expected name query string parameter in form: ' +
        `?name=[in|startswith]:[name1,name2|prefix]. Got: "${value}"`,
    );
  }
  const op = value.slice(0, i);
  const rest = value.slice(i + 1);
  if (op === 'in') return { nameIn: rest.split(',') };
  if (op === 'startswith') return { prefix: rest };
  return {};
}

/** /traits, /traits/{name} and /resource_providers/{uuid}/traits (all 1.6+). */
export function traitRoutes(ctx: RouteContext): Record<string, PathRoutes> {
  const { deps, checks } = ctx;
  const now = () => deps.clock.now();
  return {
    '/traits': {
      GET: async (req, reply) => {
        requireVersion(req, 6);
        checkAcceptJson(req);
        ctx.authorize(req, Policy.TRAITS_LIST);
        const params = queryOf(req);
        validateQuery(params, checks.listTraits);
        let filter: TraitFilter = {};
        const name = params.getAll('name').at(-1);
        if (name !== undefined) filter = parseNameFilter(name);
        const associated = params.getAll('associated').at(-1);
        if (associated !== undefined) {
          const a = associated.toLowerCase();
          if (a !== 'true' && a !== 'false') {
            throw badRequest('The query parameter "associated" only accepts "true" or "false"');
          }
          filter.associated = a === 'true';
        }
        const traits = await searchTraits(deps, filter);
        cacheHeaders(req, reply, newest(traits), now());
        return sendJson(reply, 200, { traits: traits.map((t) => t.name) });
      },
    },
    '/traits/:name': {
      GET: async (req, reply) => {
        requireVersion(req, 6);
        ctx.authorize(req, Policy.TRAITS_SHOW);
        const { name } = req.params as { name: string };
        const trait = await showTrait(deps, name);
        cacheHeaders(req, reply, trait.createdAt, now());
        return sendEmpty(reply, 204);
      },
      PUT: async (req, reply) => {
        requireVersion(req, 6);
        ctx.authorize(req, Policy.TRAITS_UPDATE);
        const { name } = req.params as { name: string };
        if (checks.customTraitName(name) !== null) {
          throw badRequest(
            'The trait is invalid. A valid trait must be no longer than 255 characters, start ' +
              'with the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"',
          );
        }
        const { trait, created } = await ensureTrait(deps, name);
        reply.header('location', `/traits/${name}`);
        cacheHeaders(req, reply, trait?.createdAt, now());
        return sendEmpty(reply, created ? 201 : 204);
      },
      DELETE: async (req, reply) => {
        requireVersion(req, 6);
        ctx.authorize(req, Policy.TRAITS_DELETE);
        const { name } = req.params as { name: string };
        await removeTrait(deps, name);
        return sendEmpty(reply, 204);
      },
    },
    '/resource_providers/:uuid/traits': {
      GET: async (req, reply) => {
        requireVersion(req, 6);
        checkAcceptJson(req);
        ctx.authorize(req, Policy.RP_TRAIT_LIST);
        const { uuid } = req.params as { uuid: string };
        const { provider, traits } = await traitsOfProvider(deps, uuid);
        cacheHeaders(req, reply, newest(traits), now());
        return sendJson(reply, 200, {
          traits: traits.map((t) => t.name),
          resource_provider_generation: provider.generation,
        });
      },
      PUT: async (req, reply) => {
        requireVersion(req, 6);
        requireJsonContent(req);
        ctx.authorize(req, Policy.RP_TRAIT_UPDATE);
        const { uuid } = req.params as { uuid: string };
        const body = readJson<{ traits: string[]; resource_provider_generation: number }>(
          req,
          checks.putProviderTraits,
        );
        const { provider, traits } = await setTraitsOfProvider(
          deps,
          uuid,
          body.resource_provider_generation,
          body.traits,
        );
        cacheHeaders(req, reply, newest(traits), now());
        return sendJson(reply, 200, {
          traits: traits.map((t) => t.name),
          resource_provider_generation: provider.generation,
        });
      },
      DELETE: async (req, reply) => {
        requireVersion(req, 6);
        ctx.authorize(req, Policy.RP_TRAIT_DELETE);
        const { uuid } = req.params as { uuid: string };
        await clearTraitsOfProvider(deps, uuid);
        return sendEmpty(reply, 204);
      },
    },
  };
}
