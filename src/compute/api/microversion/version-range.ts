import { ApiVersion } from './api-version.js';

/**
 * An inclusive microversion range, written as upstream writes them: `['2.1', '2.54']`,
 * `['2.55']` (open ended) or `[]` (every version, legacy v2 included).
 */
export type VersionRangeSpec = readonly [] | readonly [string] | readonly [string, string];

/** A parsed inclusive range; a missing bound is unbounded. */
export interface VersionRange {
  min: ApiVersion;
  max: ApiVersion | null;
}

/** The lowest version any range can name: the legacy v2 API. */
export const LEGACY_V2 = new ApiVersion(2, 0);

/** Parses a range literal. */
export function versionRange(spec: VersionRangeSpec): VersionRange {
  const min = spec[0] === undefined ? LEGACY_V2 : ApiVersion.of(spec[0]);
  const max = spec[1] === undefined ? null : ApiVersion.of(spec[1]);
  if (max && max.compare(min) < 0) throw new Error(`empty version range ${spec.join('-')}`);
  return { min, max };
}

/** True when `v` lies in the range. */
export function inRange(v: ApiVersion, r: VersionRange): boolean {
  return v.compare(r.min) >= 0 && (r.max === null || v.compare(r.max) <= 0);
}

/** `2.1-2.54`, `2.55-` — for messages and docs. */
export function rangeText(r: VersionRange): string {
  return `${r.min.toString()}-${r.max?.toString() ?? ''}`;
}
