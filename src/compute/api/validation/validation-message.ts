import type { ErrorObject } from 'ajv';
import { NAME_FORMAT_REASONS } from './name-formats.js';
import { pyRepr, pyStr } from './python-repr.js';

function decodePointer(path: string): string[] {
  if (path === '') return [];
  return path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function extraProperties(data: unknown, parent: Record<string, unknown> | undefined): string[] {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const props = Object.keys((parent?.properties as object | undefined) ?? {});
  const patterns = Object.keys((parent?.patternProperties as object | undefined) ?? {}).map(
    (p) => new RegExp(p, 'u'),
  );
  return Object.keys(data).filter((k) => !props.includes(k) && !patterns.some((re) => re.test(k)));
}

/** The jsonschema-style sentence for one failed keyword, as Python's jsonschema words it. */
function keywordMessage(e: ErrorObject): string {
  const data = e.data as unknown;
  const p = e.params as Record<string, any>;
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  switch (e.keyword) {
    case 'type': {
      const types = Array.isArray(parent?.type) ? (parent.type as string[]) : [String(p.type)];
      return `${pyRepr(data)} is not of type ${types.map((t) => `'${t}'`).join(', ')}`;
    }
    case 'required':
      return `'${p.missingProperty}' is a required property`;
    case 'additionalProperties': {
      const extras = extraProperties(data, parent);
      const list = (extras.length ? extras : [p.additionalProperty]).map((x) => pyRepr(x));
      return `Additional properties are not allowed (${list.join(', ')} ${list.length === 1 ? 'was' : 'were'} unexpected)`;
    }
    case 'minLength':
      return `${pyRepr(data)} is too short`;
    case 'maxLength':
      return `${pyRepr(data)} is too long`;
    case 'pattern':
      return `${pyRepr(data)} does not match ${pyRepr(p.pattern)}`;
    case 'enum':
      return `${pyRepr(data)} is not one of ${pyRepr(p.allowedValues)}`;
    case 'const':
      return `${pyRepr(p.allowedValue)} was expected`;
    case 'format':
      return `${pyRepr(data)} is not a ${pyRepr(p.format)}`;
    case 'novaMinimum':
      return `${pyRepr(p.value)} is less than the minimum of ${pyRepr(p.limit)}`;
    case 'novaMaximum':
      return `${pyRepr(p.value)} is greater than the maximum of ${pyRepr(p.limit)}`;
    case 'exclusiveMinimum':
      return `${pyRepr(data)} is less than or equal to the minimum of ${pyRepr(p.limit)}`;
    case 'exclusiveMaximum':
      return `${pyRepr(data)} is greater than or equal to the maximum of ${pyRepr(p.limit)}`;
    case 'minProperties':
      return `${pyRepr(data)} does not have enough properties`;
    case 'maxProperties':
      return `${pyRepr(data)} has too many properties`;
    case 'minItems':
      return `${pyRepr(data)} is too short`;
    case 'maxItems':
    case 'items':
      return `${pyRepr(data)} is too long`;
    case 'uniqueItems':
      return `${pyRepr(data)} has non-unique elements`;
    case 'oneOf':
    case 'anyOf':
      return p.passingSchemas
        ? `${pyRepr(data)} is valid under each of the given schemas`
        : `${pyRepr(data)} is not valid under any of the given schemas`;
    case 'not':
      return `${pyRepr(data)} should not be valid under ${pyRepr(e.schema)}`;
    default:
      return `${pyRepr(data)} is invalid (${e.keyword})`;
  }
}

/**
 * Turns ajv's first failure into upstream's 400 message: the InvalidName sentence for a bad
 * name, else "Invalid input for field/attribute <last path element>. Value: <str(value)>.
 * <jsonschema message>" for bodies, "Invalid input for query parameters <name>. …" for query
 * strings, or the bare message for the document root.
 */
export function validationMessage(errors: ErrorObject[], isBody: boolean): string {
  // ajv reports the sub-schema failures of oneOf/anyOf before the combinator's own error, which
  // is the one Python's jsonschema raises; the last error is always the outermost one.
  const e = errors[errors.length - 1]!;
  if (e.keyword === 'format' && NAME_FORMAT_REASONS[String(e.params.format)]) {
    return `An invalid 'name' value was provided. The name must be: ${NAME_FORMAT_REASONS[String(e.params.format)]}`;
  }
  const message = keywordMessage(e);
  const path = decodePointer(e.instancePath);
  if (path.length === 0) return message;
  if (isBody) {
    return `Invalid input for field/attribute ${path[path.length - 1]}. Value: ${pyStr(e.data)}. ${message}`;
  }
  return `Invalid input for query parameters ${path[0]}. Value: ${pyStr(e.data)}. ${message}`;
}
