import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isUuidLike } from '../../common/ids.js';
import { pyRepr } from './python-repr.js';

/** Checks a value against one compiled schema; returns upstream's message, or null when valid. */
export type Check = (data: unknown) => string | null;

/**
 * Compiles JSON Schemas once, when first used, and reports the first violation the way upstream's
 * jsonschema does (`0 is less than the minimum of 1 ... Failed validating 'minimum' in
 * schema['properties']['total']`), because clients and tests match on that text.
 */
export class SchemaValidator {
  private readonly ajv: Ajv;

  constructor() {
    this.ajv = new Ajv({ allErrors: false, strict: false, verbose: true });
    // oslo's is_uuid_like: dashes optional, any case.
    this.ajv.addFormat('uuid', { type: 'string', validate: (s: string) => isUuidLike(s) });
  }

  /**
   * A Check of `schema`, compiled when first used: compiling every schema at start took a
   * tenth of `stratus all`'s start-up.
   */
  compile(schema: object): Check {
    let compiled: ValidateFunction | undefined;
    return (data) => {
      const validate = (compiled ??= this.ajv.compile(schema));
      if (validate(data)) return null;
      const err = validate.errors?.[0];
      return err ? describe(err, schema, data) : 'invalid';
    };
  }
}

function segments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortedKeys((value as any)[k]);
    return out;
  }
  return value;
}

function message(err: ErrorObject, data: unknown): string {
  const p = err.params as Record<string, any>;
  const v = pyRepr(data);
  switch (err.keyword) {
    case 'type': {
      const types = String(p.type).split(',');
      return `${v} is not of type ${types.map((t) => pyRepr(t)).join(', ')}`;
    }
    case 'required':
      return `${pyRepr(p.missingProperty)} is a required property`;
    case 'additionalProperties': {
      const parent = err.parentSchema as {
        properties?: Record<string, unknown>;
        patternProperties?: Record<string, unknown>;
      };
      const patterns = Object.keys(parent.patternProperties ?? {}).sort();
      const extras = Object.keys((data ?? {}) as object)
        .filter((k) => !(k in (parent.properties ?? {})))
        .filter((k) => !patterns.some((re) => new RegExp(re, 'u').test(k)))
        .sort();
      const joined = extras.map((e) => pyRepr(e)).join(', ');
      if (patterns.length > 0) {
        const verb = extras.length === 1 ? 'does' : 'do';
        return `${joined} ${verb} not match any of the regexes: ${patterns.map((x) => pyRepr(x)).join(', ')}`;
      }
      return `Additional properties are not allowed (${joined} ${extras.length === 1 ? 'was' : 'were'} unexpected)`;
    }
    case 'minimum':
      return `${v} is less than the minimum of ${pyRepr(p.limit)}`;
    case 'maximum':
      return `${v} is greater than the maximum of ${pyRepr(p.limit)}`;
    case 'minLength':
    case 'minItems':
      return `${v} is too short`;
    case 'maxLength':
    case 'maxItems':
      return `${v} is too long`;
    case 'minProperties':
      return `${v} does not have enough properties`;
    case 'maxProperties':
      return `${v} has too many properties`;
    case 'pattern':
      return `${v} does not match ${pyRepr(p.pattern)}`;
    case 'format':
      return `${v} is not a ${pyRepr(p.format)}`;
    case 'enum':
      return `${v} is not one of ${pyRepr(p.allowedValues)}`;
    case 'uniqueItems':
      return `${v} has non-unique elements`;
    case 'anyOf':
      return `${v} is not valid under any of the given schemas`;
    case 'oneOf':
      return `${v} is not valid under any of the given schemas`;
    default:
      return `${v} ${err.message ?? 'is invalid'}`;
  }
}

function describe(err: ErrorObject, rootSchema: object, rootData: unknown): string {
  const schemaPath = segments(err.schemaPath.replace(/^#/, ''));
  const where = schemaPath.slice(0, -1);
  let sub: unknown = rootSchema;
  for (const s of where) sub = (sub as Record<string, unknown> | undefined)?.[s];
  const instPath = segments(err.instancePath);
  let inst: unknown = rootData;
  const instParts: string[] = [];
  for (const s of instPath) {
    if (Array.isArray(inst)) {
      instParts.push(`[${s}]`);
      inst = inst[Number(s)];
    } else {
      instParts.push(`[${pyRepr(s)}]`);
      inst = (inst as Record<string, unknown> | undefined)?.[s];
    }
  }
  return (
    `${message(err, inst)}\n\n` +
    `Failed validating ${pyRepr(err.keyword)} in schema${where.map((s) => `[${pyRepr(s)}]`).join('')}:\n` +
    `    ${pyRepr(sortedKeys(sub))}\n\n` +
    `On instance${instParts.join('')}:\n    ${pyRepr(inst)}`
  );
}
