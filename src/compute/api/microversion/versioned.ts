import type { ApiVersion } from './api-version.js';
import {
  inRange,
  rangeText,
  versionRange,
  type VersionRange,
  type VersionRangeSpec,
} from './version-range.js';

/** One value and the microversion range it serves. */
export type VersionedEntry<T> = readonly [VersionRangeSpec, T];

/**
 * Values that each serve a microversion range — a request schema, a status code, a view, a
 * handler — as upstream's `Schemas` container: ranges must not overlap, so a version picks at
 * most one value. Adding a microversion is adding an entry, not an `if` in a handler.
 */
export class Versioned<T> {
  private readonly entries: { range: VersionRange; value: T }[];

  constructor(entries: readonly VersionedEntry<T>[]) {
    this.entries = entries
      .map(([spec, value]) => ({ range: versionRange(spec), value }))
      .sort((a, b) => a.range.min.compare(b.range.min));
    for (let i = 1; i < this.entries.length; i++) {
      const prev = this.entries[i - 1]!.range;
      const cur = this.entries[i]!.range;
      if (prev.max === null || prev.max.compare(cur.min) >= 0) {
        throw new Error(`overlapping version ranges ${rangeText(prev)} and ${rangeText(cur)}`);
      }
    }
  }

  /** The same value for every version. */
  static always<T>(value: T): Versioned<T> {
    return new Versioned([[[], value]]);
  }

  /** The value serving `v`, or undefined when no range covers it. */
  at(v: ApiVersion): T | undefined {
    return this.entries.find((e) => inRange(v, e.range))?.value;
  }

  /** Every value with its range, lowest range first. */
  all(): { range: VersionRange; value: T }[] {
    return [...this.entries];
  }
}
