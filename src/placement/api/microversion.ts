import { PlacementError } from '../placement-errors.js';

/** Every microversion placement serves, oldest first (1.0 to 1.39, as upstream). */
export const PLACEMENT_VERSIONS: readonly string[] = Object.freeze(
  Array.from({ length: 40 }, (_, i) => `1.${i}`),
);

/** The oldest microversion. */
export const MIN_VERSION = PLACEMENT_VERSIONS[0]!;

/** The newest microversion (what `latest` means). */
export const MAX_VERSION = PLACEMENT_VERSIONS[PLACEMENT_VERSIONS.length - 1]!;

/** A negotiated placement microversion. */
export class Microversion {
  constructor(
    readonly major: number,
    readonly minor: number,
  ) {}

  /** True when this version is at least 1.`minor`. */
  atLeast(minor: number): boolean {
    return this.major > 1 || (this.major === 1 && this.minor >= minor);
  }

  /** True when this version is within 1.`min` and 1.`max` inclusive. */
  within(min: number, max: number): boolean {
    return this.atLeast(min) && !this.atLeast(max + 1);
  }

  /** `X.Y`. */
  toString(): string {
    return `${this.major}.${this.minor}`;
  }
}

/** Raised when the microversion header cannot be honoured; its body gets min/max versions. */
export class MicroversionError extends PlacementError {}

/** Python's int() of a string: optional whitespace and sign around decimal digits. */
function pyInt(text: string): number | undefined {
  return /^\s*[+-]?\d+\s*$/.test(text) ? Number.parseInt(text.trim(), 10) : undefined;
}

/**
 * Finds the placement version in `OpenStack-API-Version` headers (several headers or
 * comma-separated entries for several services; the last entry for placement wins), as
 * microversion-parse does: no header means the minimum, `latest` the maximum, a malformed
 * version is a 400 and one outside 1.0..1.39 a 406.
 */
export function negotiateMicroversion(header: string | string[] | undefined): Microversion {
  const folded = Array.isArray(header) ? header.join(',') : header;
  let found: string | undefined;
  if (folded !== undefined) {
    for (const entry of folded.split(',').reverse()) {
      const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(entry);
      if (m && m[1]!.toLowerCase() === 'placement') {
        found = m[2]!;
        break;
      }
    }
  }
  let text = found ?? MIN_VERSION;
  if (text === 'latest') text = MAX_VERSION;
  const dot = text.indexOf('.');
  const major = dot < 0 ? undefined : pyInt(text.slice(0, dot));
  const minor = dot < 0 ? undefined : pyInt(text.slice(dot + 1));
  if (major === undefined || minor === undefined) {
    throw new MicroversionError(400, `Invalid microversion: invalid version string: ${text}`);
  }
  const version = new Microversion(major, minor);
  if (!PLACEMENT_VERSIONS.includes(version.toString())) {
    throw new MicroversionError(406, `Invalid microversion: Unacceptable version header: ${text}`);
  }
  return version;
}
