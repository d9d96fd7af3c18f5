import { BadRequestError } from '../../../common/errors.js';
import { isAdmin } from '../../../platform/auth/request-context.js';
import { limitAndMarker, pyInt } from '../http/pagination.js';
import { Versioned } from '../microversion/versioned.js';
import { FlavorPolicy } from '../policies/flavor-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall, RouteSpec } from '../routing/route-spec.js';
import {
  flavorCreateSchemas,
  flavorListQueries,
  flavorUpdateSchemas,
  noParamsQueries,
  type FlavorCreateBody,
  type FlavorUpdateBody,
} from '../schemas/flavor-schemas.js';
import type { Flavor, FlavorFilters } from '../store/flavor-record.js';
import { flavorBriefView, flavorView } from '../views/flavor-view.js';
import { parseBool } from './parse-bool.js';

/** The extra specs appear from 2.61 to callers allowed to list them. */
function showSpecs(call: ApiCall): boolean {
  return (
    call.version.atLeast('2.61') &&
    call.can(FlavorPolicy.specsIndex, {
      project_id: call.context.projectId,
    })
  );
}

/** Renders one flavor in full, as `{"flavor": …}`. */
export function flavorBody(call: ApiCall, flavor: Flavor, extraSpecs = showSpecs(call)): unknown {
  return { flavor: flavorView.render({ flavor, links: call.links, extraSpecs }, call.version) };
}

function isPublicFilter(raw: string | undefined): boolean | null {
  if (raw === undefined) return true;
  if (raw.toLowerCase() === 'none') return null;
  const b = parseBool(raw);
  if (b === undefined) throw new BadRequestError(`Invalid is_public filter [${raw}]`);
  return b;
}

function intFilter(call: ApiCall, name: string): number | undefined {
  const raw = call.query.get(name);
  if (raw === undefined) return undefined;
  const n = pyInt(raw);
  if (n === undefined) throw new BadRequestError(`Invalid ${name} filter [${raw}]`);
  return n;
}

async function listFlavors(deps: ApiDeps, call: ApiCall): Promise<Flavor[]> {
  const admin = isAdmin(call.context);
  const filters: FlavorFilters = admin
    ? { isPublic: isPublicFilter(call.query.get('is_public')) }
    : { isPublic: true, disabled: false };
  const minRam = intFilter(call, 'minRam');
  if (minRam !== undefined) filters.minMemoryMb = minRam;
  const minDisk = intFilter(call, 'minDisk');
  if (minDisk !== undefined) filters.minRootGb = minDisk;
  const name = call.query.get('name');
  if (name !== undefined) {
    try {
      filters.nameRegex = new RegExp(name, 'u');
    } catch {
      throw new BadRequestError(`Invalid name filter [${name}]`);
    }
  }
  const { limit, marker } = limitAndMarker(call.query, deps.maxLimit);
  return deps.flavors.list({ isAdmin: admin, projectId: call.context.projectId }, filters, {
    sortKey: call.query.get('sort_key') || 'flavorid',
    sortDir: call.query.get('sort_dir') === 'desc' ? 'desc' : 'asc',
    limit,
    marker,
  });
}

function toInt(value: number | string | undefined, fallback: number): number {
  return value === undefined ? fallback : Number(value);
}

/** The flavor routes: list, detail, show, create, update (2.55) and delete. */
export function flavorRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/flavors',
      query: flavorListQueries,
      handler: async (call) => {
        const flavors = await listFlavors(deps, call);
        const body: Record<string, unknown> = {
          flavors: flavors.map((flavor) =>
            flavorBriefView.render({ flavor, links: call.links, extraSpecs: false }, call.version),
          ),
        };
        const next = call.links.collection(flavors, 'flavors', (f) => f.flavorid);
        if (next.length) body.flavors_links = next;
        return body;
      },
    },
    {
      method: 'GET',
      path: '/flavors/detail',
      query: flavorListQueries,
      handler: async (call) => {
        const flavors = await listFlavors(deps, call);
        const extraSpecs = showSpecs(call);
        const body: Record<string, unknown> = {
          flavors: flavors.map((flavor) =>
            flavorView.render({ flavor, links: call.links, extraSpecs }, call.version),
          ),
        };
        const next = call.links.collection(flavors, 'flavors/detail', (f) => f.flavorid);
        if (next.length) body.flavors_links = next;
        return body;
      },
    },
    {
      method: 'GET',
      path: '/flavors/:id',
      query: noParamsQueries,
      handler: async (call) => {
        const viewer = { isAdmin: isAdmin(call.context), projectId: call.context.projectId };
        return flavorBody(call, await deps.flavors.get(call.params.id!, viewer));
      },
    },
    {
      method: 'POST',
      path: '/flavors',
      body: flavorCreateSchemas,
      handler: async (call: ApiCall<FlavorCreateBody>) => {
        call.authorize(FlavorPolicy.create, {});
        const v = call.body.flavor;
        const rxtx = v.rxtx_factor === undefined ? 1 : Number(v.rxtx_factor);
        if (!(rxtx > 0 && rxtx <= 3.40282e38)) {
          throw new BadRequestError(
            "Invalid input received: 'rxtx_factor' argument must be a float between 0 and 3.40282e+38",
          );
        }
        const id =
          v.id === undefined || v.id === null || v.id === '' ? deps.ids.uuid() : String(v.id);
        const flavor = await deps.flavors.create({
          flavorid: id,
          name: v.name.trim(),
          memoryMb: Number(v.ram),
          vcpus: Number(v.vcpus),
          rootGb: Number(v.disk),
          ephemeralGb: toInt(v['OS-FLV-EXT-DATA:ephemeral'], 0),
          swap: toInt(v.swap, 0),
          rxtxFactor: rxtx,
          isPublic: parseBool(v['os-flavor-access:is_public'] ?? true) ?? true,
          // Nova 2.55: description; ignored before.
          description: call.version.atLeast('2.55') ? (v.description ?? null) : null,
        });
        return flavorBody(call, flavor);
      },
    },
    {
      method: 'PUT',
      path: '/flavors/:id',
      body: flavorUpdateSchemas,
      handler: new Versioned([
        [
          ['2.55'],
          async (call: ApiCall<FlavorUpdateBody>) => {
            call.authorize(FlavorPolicy.update, {});
            const flavor = await deps.flavors.setDescription(
              call.params.id!,
              call.body.flavor.description,
            );
            return flavorBody(call, flavor);
          },
        ],
      ]),
    },
    {
      method: 'DELETE',
      path: '/flavors/:id',
      // Nova answers 202 here for backwards compatibility, though nothing is left to do.
      status: 202,
      handler: async (call) => {
        call.authorize(FlavorPolicy.delete, {});
        await deps.flavors.delete(call.params.id!);
        return undefined;
      },
    },
  ];
}
