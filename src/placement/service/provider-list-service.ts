import { badRequest } from '../placement-errors.js';
import { listProviders, type ProviderListFilter } from '../store/provider-list.js';
import type { ProviderRecord } from '../store/providers.js';
import { resourceClassIds } from '../store/resource-classes.js';
import { traitIds } from '../store/traits.js';
import type { AggregateQuery, TraitQuery } from '../api/query-params.js';
import type { PlacementDeps } from './placement-deps.js';

/** The filters of GET /resource_providers by name, as parsed from the query string. */
export interface ProviderSearch {
  name?: string;
  uuid?: string;
  inTree?: string;
  traits?: TraitQuery;
  memberOf?: AggregateQuery;
  resources?: Map<string, number>;
}

/** GET /resource_providers: resolves trait and class names (400 when unknown), then lists. */
export async function searchProviders(
  deps: PlacementDeps,
  search: ProviderSearch,
): Promise<ProviderRecord[]> {
  const db = deps.database.kysely;
  const filter: ProviderListFilter = {};
  if (search.name !== undefined) filter.name = search.name;
  if (search.uuid !== undefined) filter.uuid = search.uuid;
  if (search.inTree !== undefined) filter.inTree = search.inTree;
  if (search.traits) {
    const names = [...search.traits.required.flat(), ...search.traits.forbidden];
    const ids = await traitIds(db, names);
    const missing = names.find((n) => !ids.has(n));
    if (missing !== undefined) {
      throw badRequest(`Invalid trait(s) in "required" parameter: No such trait(s): ${missing}.`);
    }
    filter.requiredTraits = search.traits.required.map((set) => set.map((n) => ids.get(n)!));
    filter.forbiddenTraits = [...search.traits.forbidden].map((n) => ids.get(n)!);
  }
  if (search.memberOf) {
    filter.memberOf = search.memberOf.required;
    filter.forbiddenAggregates = [...search.memberOf.forbidden];
  }
  if (search.resources) {
    const ids = await resourceClassIds(db, search.resources.keys());
    const missing = [...search.resources.keys()].find((n) => !ids.has(n));
    if (missing !== undefined) {
      throw badRequest(
        `Invalid resource class in resources parameter: No such resource class ${missing}.`,
      );
    }
    filter.resources = new Map([...search.resources].map(([n, amt]) => [ids.get(n)!, amt]));
  }
  return listProviders(db, filter);
}
