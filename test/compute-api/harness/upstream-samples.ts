/**
 * Upstream's API samples (nova doc/api_samples, one folder per resource, `v2.N/` where a
 * microversion changed the shape), read at test time from `<repo>/../shared/upstream/
 * nova-api-samples`. Golden tests compare Stratus's responses with them field by field: the
 * same names, the same JSON types, the same presence; generated values may differ.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the samples are expected. */
export const SAMPLES_DIR = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'upstream',
  'nova-api-samples',
);

/** node:test `skip` value: one line saying why, when the samples are not there. */
export function samplesSkip(): string | false {
  return existsSync(SAMPLES_DIR)
    ? false
    : `upstream API samples not found at ${SAMPLES_DIR}; golden tests skipped`;
}

/** Reads one sample, e.g. `sample('flavors/v2.55/flavor-get-resp.json')`. */
export function sample(path: string): any {
  return JSON.parse(readFileSync(join(SAMPLES_DIR, path), 'utf8'));
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** What a comparison tolerates. */
export interface ShapeOptions {
  /**
   * Paths (dotted, `[]` for array items) whose value may be null on one side and not on the
   * other, where the sample shows a state the test did not reproduce (e.g. `updated_at`).
   */
  nullable?: string[];
  /** Paths of objects whose keys are data, not fields (extra specs, metadata, hosts). */
  freeform?: string[];
}

/**
 * Lists every difference in shape between `actual` and the sample `expected`: keys missing or
 * extra, and values of different JSON types (every item of an array is compared with the
 * sample's item at the same place, or its first). An empty list means the shapes match.
 */
export function shapeDiff(
  actual: unknown,
  expected: unknown,
  opts: ShapeOptions = {},
  path = '',
): string[] {
  const ka = kind(actual);
  const ke = kind(expected);
  if (ka !== ke) {
    if ((ka === 'null' || ke === 'null') && opts.nullable?.includes(path)) return [];
    return [`${path || '<root>'}: expected ${ke}, got ${ka} (${JSON.stringify(actual)})`];
  }
  if (ke === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length === 0 || a.length === 0) return [];
    // Items compare with the sample item at the same place (link lists mix shapes), else the first.
    return a.flatMap((item, i) => shapeDiff(item, e[i] ?? e[0], opts, `${path}[]`));
  }
  if (ke === 'object') {
    if (opts.freeform?.includes(path)) return [];
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const out: string[] = [];
    for (const k of Object.keys(e)) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in a)) out.push(`${p}: missing`);
      else out.push(...shapeDiff(a[k], e[k], opts, p));
    }
    for (const k of Object.keys(a)) {
      if (!(k in e)) out.push(`${path ? `${path}.${k}` : k}: not in the sample`);
    }
    return out;
  }
  return [];
}
