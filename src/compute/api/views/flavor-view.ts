import type { LinkBuilder } from '../http/link-builder.js';
import type { Flavor } from '../store/flavor-record.js';
import { field, VersionedView } from './versioned-view.js';

/** What a flavor view renders from. */
export interface FlavorViewSource {
  flavor: Flavor;
  links: LinkBuilder;
  /** 2.61: extra specs are shown when the caller may list them. */
  extraSpecs: boolean;
}

const links = (s: FlavorViewSource) => s.links.member('flavors', s.flavor.flavorid);

/** The brief form of GET /flavors. */
export const flavorBriefView = new VersionedView<FlavorViewSource>([
  field('id', [], (s) => s.flavor.flavorid),
  field('name', [], (s) => s.flavor.name),
  field('links', [], links),
  field('description', ['2.55'], (s) => s.flavor.description),
]);

/** The full form of GET /flavors/{id}, /flavors/detail and of create and update. */
export const flavorView = new VersionedView<FlavorViewSource>([
  field('id', [], (s) => s.flavor.flavorid),
  field('name', [], (s) => s.flavor.name),
  field('ram', [], (s) => s.flavor.memoryMb),
  field('disk', [], (s) => s.flavor.rootGb),
  // Nova before 2.75 shows a swap of 0 as an empty string.
  field('swap', ['2.0', '2.74'], (s) => s.flavor.swap || ''),
  field('swap', ['2.75'], (s) => s.flavor.swap),
  field('OS-FLV-EXT-DATA:ephemeral', [], (s) => s.flavor.ephemeralGb),
  field('OS-FLV-DISABLED:disabled', ['2.0', '2.101'], (s) => s.flavor.disabled),
  field('vcpus', [], (s) => s.flavor.vcpus),
  field('os-flavor-access:is_public', [], (s) => s.flavor.isPublic),
  field('rxtx_factor', ['2.0', '2.101'], (s) => s.flavor.rxtxFactor || ''),
  field('links', [], links),
  field('description', ['2.55'], (s) => s.flavor.description),
  field(
    'extra_specs',
    ['2.61'],
    (s) => s.flavor.extraSpecs,
    (s) => s.extraSpecs,
  ),
]);
