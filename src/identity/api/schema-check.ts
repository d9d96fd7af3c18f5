import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';
import { badRequest } from '../identity-errors.js';

/** Validates a value against one compiled schema and returns it typed, or throws a 400. */
export type Checker<T> = (data: unknown) => T;

function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return JSON.stringify(v);
}

function describe(err: ErrorObject): string {
  const p = err.params as Record<string, any>;
  switch (err.keyword) {
    case 'required':
      return `${pyRepr(p.missingProperty)} is a required property`;
    case 'type':
      return `${pyRepr(err.data)} is not of type ${String(p.type)
        .split(',')
        .map((t) => pyRepr(t))
        .join(', ')}`;
    case 'additionalProperties':
      return `Additional properties are not allowed (${pyRepr(p.additionalProperty)} was unexpected)`;
    case 'minLength':
      return `${pyRepr(err.data)} is too short`;
    case 'maxLength':
      return `${pyRepr(err.data)} is too long`;
    case 'enum':
      return `${pyRepr(err.data)} is not one of ${JSON.stringify(p.allowedValues)}`;
    case 'pattern':
      return `${pyRepr(err.data)} does not match ${pyRepr(p.pattern)}`;
    case 'minItems':
      return `${JSON.stringify(err.data)} is too short`;
    default:
      return err.message ?? 'is invalid';
  }
}

/**
 * Compiles request schemas once, when first used, and words violations as keystone's validator does
 * (`Invalid input for field 'project/name': 1 is not of type 'string'`).
 */
export class SchemaCheck {
  private readonly ajv = new Ajv({ allErrors: false, strict: false, verbose: true });

  /**
   * A checker of a TypeBox schema's static type, compiled when first used: compiling every
   * schema at start took a tenth of `stratus all`'s start-up.
   */
  compile<S extends TSchema>(schema: S): Checker<Static<S>> {
    let compiled: ValidateFunction | undefined;
    return (data) => {
      const validate = (compiled ??= this.ajv.compile(schema));
      if (validate(data)) return data as Static<S>;
      const err = validate.errors?.[0];
      if (!err) throw badRequest('Invalid input.');
      const path = err.instancePath
        .split('/')
        .slice(1)
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      const detail = describe(err);
      throw badRequest(
        path.length > 0 ? `Invalid input for field '${path.join('/')}': ${detail}` : detail,
      );
    };
  }
}
