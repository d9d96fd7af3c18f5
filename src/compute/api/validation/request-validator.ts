import type { ValidateFunction } from 'ajv';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { BadRequestError } from '../../../common/errors.js';
import { createAjv } from './ajv-instance.js';
import { novaSchema } from './schema-transform.js';
import { validationMessage } from './validation-message.js';

/** A query string as upstream's validators see it: each name with all its values, in order. */
export type QueryDict = Record<string, string[]>;

/** A compiled request schema: checks a value, throwing Nova's 400 when it fails. */
export interface CompiledSchema {
  /** Validates a body (`legacy` strips unknown properties instead of rejecting them). */
  body(value: unknown, legacy: boolean): void;
  /** Validates a query dict and returns it without the parameters the schema ignores. */
  query(value: QueryDict, legacy: boolean): QueryDict;
}

/**
 * Compiles request schemas once, at start, into checkers that behave as upstream's
 * `validation.schema` and `validation.query_schema` decorators: strict additionalProperties on
 * `/v2.1`, relaxed on the legacy `/v2`, and unknown query parameters dropped where the schema
 * allows them (before 2.75, or 2.102 on some routes) rather than passed on.
 */
export class RequestValidator {
  private readonly strict: Ajv2020 = createAjv(false);
  private readonly relaxed: Ajv2020 = createAjv(true);
  private readonly cache = new WeakMap<object, CompiledSchema>();

  /** Compiles `schema` (cached by identity). */
  compile(schema: object): CompiledSchema {
    const hit = this.cache.get(schema);
    if (hit) return hit;
    const strict = this.strict.compile(novaSchema(schema) as object);
    // The relaxed form serves only the legacy v2 API: compiled when first needed.
    let relaxedFn: ValidateFunction | undefined;
    const relaxed = () => (relaxedFn ??= this.relaxed.compile(novaSchema(schema) as object));
    const run = (fn: ValidateFunction, value: unknown, isBody: boolean) => {
      if (!fn(value)) {
        throw new BadRequestError(validationMessage(fn.errors ?? [], isBody), {
          code: 'compute.validation',
        });
      }
    };
    const compiled: CompiledSchema = {
      body: (value, legacy) => run(legacy ? relaxed() : strict, value, true),
      query: (value, legacy) => {
        run(legacy ? relaxed() : strict, value, false);
        return stripIgnoredParameters(schema as Record<string, unknown>, value);
      },
    };
    this.cache.set(schema, compiled);
    return compiled;
  }
}

/**
 * Upstream's `_strip_additional_query_parameters`: where a query schema allows additional
 * properties, the ones it does not name are dropped so no handler ever acts on them.
 */
function stripIgnoredParameters(schema: Record<string, unknown>, query: QueryDict): QueryDict {
  if (schema.additionalProperties === false || schema.type !== 'object') return query;
  const props = Object.keys((schema.properties as object | undefined) ?? {});
  const patterns = Object.keys((schema.patternProperties as object | undefined) ?? {}).map(
    (p) => new RegExp(p, 'u'),
  );
  const out: QueryDict = {};
  for (const [k, v] of Object.entries(query)) {
    if (props.includes(k) || patterns.some((re) => re.test(k))) out[k] = v;
  }
  return out;
}
