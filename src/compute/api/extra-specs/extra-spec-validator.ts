import { BadRequestError } from '../../../common/errors.js';
import { parseBool } from '../routes/parse-bool.js';
import type { ExtraSpecDefinition } from './extra-spec-definition.js';
import { KNOWN_EXTRA_SPECS } from './known-extra-specs.js';
import { PLACEMENT_EXTRA_SPECS } from './placement-extra-specs.js';

interface Compiled {
  def: ExtraSpecDefinition;
  nameRe: RegExp;
  valueRe: RegExp | undefined;
}

function fail(message: string): never {
  throw new BadRequestError(`Validation failed; ${message}`, { code: 'compute.extra_spec' });
}

function compile(def: ExtraSpecDefinition): Compiled {
  let name = def.name;
  for (const p of def.params ?? [])
    name = name.replace(`{${p.name}}`, `(?<${p.name}>${p.pattern})`);
  return {
    def,
    nameRe: new RegExp(`^(?:${name})$`, 'u'),
    valueRe:
      def.type === 'str' && def.pattern ? new RegExp(`^(?:${def.pattern})$`, 'u') : undefined,
  };
}

function checkValue(c: Compiled, value: string): void {
  const def = c.def;
  if (def.type === 'int') {
    const n = /^\s*[-+]?\d+\s*$/.test(value) ? Number.parseInt(value, 10) : undefined;
    if (n === undefined) fail(`'${value}' is not a valid integer value.`);
    if (def.max !== undefined && def.max < n)
      fail(`'${n}' is greater than the max value of '${def.max}'.`);
    if (def.min !== undefined && def.min > n)
      fail(`'${n}' is less than the min value of '${def.min}'.`);
  } else if (def.type === 'bool') {
    if (parseBool(value) === undefined) fail(`'${value}' is not a valid boolean-like value.`);
  } else if (c.valueRe) {
    if (!c.valueRe.test(value)) fail(`'${value}' is not of the format '${def.pattern}'.`);
  } else if (def.enum && !def.enum.includes(value)) {
    fail(`'${value}' is not one of: ${def.enum.join(', ')}.`);
  }
}

/**
 * Upstream's extra spec validation (microversion 2.86): a known name must have a valid value; a
 * name in a known namespace (`hw:`, `quota:`, `trait:`…) that no definition matches is
 * rejected; anything else is accepted unchecked.
 */
export class ExtraSpecValidator {
  private readonly byName = new Map<string, Compiled>();
  private readonly all: Compiled[];
  private readonly namespaces: RegExp[];

  constructor(
    defs: readonly ExtraSpecDefinition[] = [...KNOWN_EXTRA_SPECS, ...PLACEMENT_EXTRA_SPECS],
  ) {
    this.all = defs.map(compile);
    for (const c of this.all) this.byName.set(c.def.name, c);
    const ns = new Set<string>();
    for (const c of this.all) {
      const src = c.nameRe.source.slice(4, -2);
      if (src.includes(':')) ns.add(src.split(':', 1)[0]!);
    }
    this.namespaces = [...ns].map((n) => new RegExp(`^(?:${n})$`, 'u'));
  }

  /** Throws Nova's 400 when the extra spec is invalid. */
  validate(name: string, value: string): void {
    const exact = this.byName.get(name);
    if (exact) return checkValue(exact, value);
    const match = this.all.find((c) => c.nameRe.test(name));
    if (match) return checkValue(match, value);
    if (!name.includes(':')) return;
    const namespace = name.split(':', 1)[0]!;
    if (this.namespaces.some((re) => re.test(namespace))) {
      fail(`extra spec '${name}' does not appear to be a valid extra spec.`);
    }
  }
}
