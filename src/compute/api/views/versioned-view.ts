import type { ApiVersion } from '../microversion/api-version.js';
import {
  inRange,
  versionRange,
  type VersionRange,
  type VersionRangeSpec,
} from '../microversion/version-range.js';

/** One field of a response object and the microversion range it appears in. */
export interface ViewField<S> {
  name: string;
  range: VersionRange;
  value: (src: S) => unknown;
  /** Further condition, e.g. a policy allowing the field (flavor `extra_specs` at 2.61). */
  when?: (src: S) => boolean;
}

/** Declares a field: its name, the versions it appears in, and how it is computed. */
export function field<S>(
  name: string,
  versions: VersionRangeSpec,
  value: (src: S) => unknown,
  when?: (src: S) => boolean,
): ViewField<S> {
  return when
    ? { name, range: versionRange(versions), value, when }
    : { name, range: versionRange(versions), value };
}

/**
 * A response object described as fields with version ranges, as upstream's views evolve:
 * adding a microversion adds or retires a field's range (`swap` is `""` for 0 until 2.74 and
 * an integer from 2.75), never an `if` in a handler.
 */
export class VersionedView<S> {
  constructor(private readonly fields: readonly ViewField<S>[]) {
    const seen = new Map<string, VersionRange[]>();
    for (const f of fields) {
      const ranges = seen.get(f.name) ?? [];
      for (const r of ranges) {
        const overlap =
          (r.max === null || f.range.min.compare(r.max) <= 0) &&
          (f.range.max === null || r.min.compare(f.range.max) <= 0);
        if (overlap) throw new Error(`view field ${f.name} has overlapping version ranges`);
      }
      seen.set(f.name, [...ranges, f.range]);
    }
  }

  /** The object for version `v`. */
  render(src: S, v: ApiVersion): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of this.fields) {
      if (!inRange(v, f.range)) continue;
      if (f.when && !f.when(src)) continue;
      out[f.name] = f.value(src);
    }
    return out;
  }
}
