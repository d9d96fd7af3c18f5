/**
 * Golden comparisons of server bodies with upstream's API samples (servers/, v2.N/ folders):
 * the versions whose samples exist, and what a comparison tolerates. Used by servers-cli.test.ts
 * against a running stratus.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR, shapeDiff } from '../compute-api/harness/upstream-samples.js';

/** Sample folders of servers/ and the microversion each was recorded at. */
export const SERVER_SAMPLE_VERSIONS: [dir: string, version: string][] = [
  ['', '2.1'],
  ['v2.3/', '2.3'],
  ['v2.9/', '2.9'],
  ['v2.16/', '2.16'],
  ['v2.19/', '2.19'],
  ['v2.26/', '2.26'],
  ['v2.47/', '2.47'],
  ['v2.63/', '2.63'],
  ['v2.71/', '2.71'],
  ['v2.73/', '2.73'],
  ['v2.90/', '2.90'],
  ['v2.96/', '2.96'],
  ['v2.98/', '2.98'],
  ['v2.100/', '2.100'],
];

/** True when the sample file exists (some folders only record some calls). */
export function hasSample(path: string): boolean {
  return existsSync(join(SAMPLES_DIR, path));
}

/** Values that are null for the booted test servers but set in the samples, or the reverse. */
const NULLABLE = [
  'description',
  'key_name',
  'locked_reason',
  'pinned_availability_zone',
  'trusted_image_certificates',
  'OS-EXT-SRV-ATTR:root_device_name',
  'OS-EXT-SRV-ATTR:user_data',
  'OS-SRV-USG:launched_at',
  'OS-SRV-USG:terminated_at',
  'OS-EXT-STS:task_state',
  // The samples show both '' and null for these over the versions.
  'OS-EXT-SRV-ATTR:kernel_id',
  'OS-EXT-SRV-ATTR:ramdisk_id',
];
/** Objects whose keys are data. */
const FREEFORM = [
  'addresses',
  'metadata',
  'flavor.extra_specs',
  'image.properties',
  'scheduler_hints',
];

/**
 * Shape differences of one server body from the sample's, except `security_groups`: upstream
 * takes it from the server's Neutron ports and leaves it out when there are none, which is
 * every Stratus server until networking lands.
 */
export function serverShapeDiff(actual: unknown, expected: unknown, root = ''): string[] {
  const prefix = (p: string) => (root ? `${root}.${p}` : p);
  return shapeDiff(actual, expected, {
    nullable: NULLABLE.map(prefix),
    freeform: FREEFORM.map(prefix),
  }).filter((d) => !d.startsWith(`${prefix('security_groups')}: missing`));
}
