/**
 * Rewrites a request schema for ajv before it is compiled: `minimum`/`maximum` become
 * `novaMinimum`/`novaMaximum`, which (as upstream's validator) also bound numeric strings such as
 * `"1024"`, since Nova accepts `{"ram": "1024"}`. Only schema positions are rewritten; property
 * names are left alone.
 */

type Schema = Record<string, unknown>;

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];
const SCHEMA_ONE = ['additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains'];
const SCHEMA_LISTS = ['oneOf', 'anyOf', 'allOf', 'prefixItems'];

/** A deep copy of `schema` with the numeric bounds renamed (symbol keys dropped). */
export function novaSchema(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema as Schema)) {
    if (key === 'minimum' && typeof value === 'number') out.novaMinimum = value;
    else if (key === 'maximum' && typeof value === 'number') out.novaMaximum = value;
    else if (SCHEMA_MAPS.includes(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([k, v]) => [k, novaSchema(v)]),
      );
    } else if (SCHEMA_ONE.includes(key)) out[key] = novaSchema(value);
    else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) out[key] = value.map(novaSchema);
    else out[key] = value;
  }
  return out;
}

/**
 * Python's `int(x)`, falling back to `float(x)`, as upstream's bound checks read a value;
 * undefined when the value is not numeric (the bound then does not apply).
 */
export function numberFromValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : value;
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  if (/^[-+]?\d+$/.test(t)) return Number(t);
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (/^[-+]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}
