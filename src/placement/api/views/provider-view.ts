import type { ProviderRecord } from '../../store/providers.js';
import type { Microversion } from '../microversion.js';

/** The `links` of a provider: which sub-resources exist depends on the microversion. */
export function providerLinks(
  uuid: string,
  version: Microversion,
): { rel: string; href: string }[] {
  const self = `/resource_providers/${uuid}`;
  const rels = ['inventories', 'usages'];
  if (version.atLeast(1)) rels.push('aggregates');
  if (version.atLeast(6)) rels.push('traits');
  if (version.atLeast(11)) rels.push('allocations');
  return [{ rel: 'self', href: self }, ...rels.map((rel) => ({ rel, href: `${self}/${rel}` }))];
}

/** A provider as GET /resource_providers/{uuid} shows it (tree fields from 1.14). */
export function providerView(rp: ProviderRecord, version: Microversion): Record<string, unknown> {
  const out: Record<string, unknown> = {
    uuid: rp.uuid,
    name: rp.name,
    generation: rp.generation,
    links: providerLinks(rp.uuid, version),
  };
  if (version.atLeast(14)) {
    out.parent_provider_uuid = rp.parentUuid;
    out.root_provider_uuid = rp.rootUuid;
  }
  return out;
}
