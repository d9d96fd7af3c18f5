/**
 * Typed option definitions, in the spirit of oslo.config's Opt classes: each option knows its
 * type, default and help, and parses the INI string form into a typed value.
 */

/** Parses one raw INI value; throws an Error whose message says what is wrong with it. */
type Parser<T> = (raw: string) => T;

/** One option: its type name for messages, its default and its parser. */
export interface Option<T> {
  readonly type: string;
  readonly default: T;
  readonly help: string;
  readonly secret: boolean;
  parse: Parser<T>;
}

function option<T>(
  type: string,
  parse: Parser<T>,
  def: T,
  help: string,
  secret = false,
): Option<T> {
  return { type, parse, default: def, help, secret };
}

/** A string option; `secret` hides its value in logs and dumps. */
export function str(def: string, help: string, opts: { secret?: boolean } = {}): Option<string> {
  return option('string', (raw) => raw, def, help, opts.secret ?? false);
}

/** A string option that may be unset. */
export function optionalStr(
  help: string,
  opts: { secret?: boolean } = {},
): Option<string | undefined> {
  return option<string | undefined>(
    'string',
    (raw) => (raw === '' ? undefined : raw),
    undefined,
    help,
    opts.secret ?? false,
  );
}

/** An integer option with optional bounds. */
export function int(
  def: number,
  help: string,
  bounds: { min?: number; max?: number } = {},
): Option<number> {
  return option(
    'integer',
    (raw) => {
      if (!/^[-+]?\d+$/.test(raw.trim())) throw new Error(`'${raw}' is not an integer`);
      const n = Number.parseInt(raw, 10);
      if (bounds.min !== undefined && n < bounds.min)
        throw new Error(`${n} is below the minimum ${bounds.min}`);
      if (bounds.max !== undefined && n > bounds.max)
        throw new Error(`${n} is above the maximum ${bounds.max}`);
      return n;
    },
    def,
    help,
  );
}

/** A TCP port (0-65535). */
export function port(def: number, help: string): Option<number> {
  const base = int(def, help, { min: 0, max: 65535 });
  return { ...base, type: 'port' };
}

/** A floating point option with optional bounds. */
export function float(
  def: number,
  help: string,
  bounds: { min?: number; max?: number } = {},
): Option<number> {
  return option(
    'float',
    (raw) => {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n)) throw new Error(`'${raw}' is not a number`);
      if (bounds.min !== undefined && n < bounds.min)
        throw new Error(`${n} is below the minimum ${bounds.min}`);
      if (bounds.max !== undefined && n > bounds.max)
        throw new Error(`${n} is above the maximum ${bounds.max}`);
      return n;
    },
    def,
    help,
  );
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** A boolean option; accepts the words oslo.config accepts (true/false, yes/no, on/off, 1/0). */
export function bool(def: boolean, help: string): Option<boolean> {
  return option(
    'boolean',
    (raw) => {
      const v = raw.trim().toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      throw new Error(`'${raw}' is not a boolean (use true or false)`);
    },
    def,
    help,
  );
}

/** One of a fixed set of strings. */
export function choice<const C extends string>(
  choices: readonly C[],
  def: C,
  help: string,
): Option<C> {
  return option(
    `one of ${choices.join(', ')}`,
    (raw) => {
      const v = raw.trim();
      if (!(choices as readonly string[]).includes(v)) {
        throw new Error(`'${raw}' is not one of: ${choices.join(', ')}`);
      }
      return v as C;
    },
    def,
    help,
  );
}

/** A comma-separated list of strings (empty items dropped, whitespace trimmed). */
export function list(def: readonly string[], help: string): Option<string[]> {
  return option(
    'list',
    (raw) =>
      raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    [...def],
    help,
  );
}

/** A `key:value` comma-separated map, as oslo's DictOpt. */
export function dict(def: Record<string, string>, help: string): Option<Record<string, string>> {
  return option(
    'dict',
    (raw) => {
      const out: Record<string, string> = {};
      for (const item of raw.split(',')) {
        const t = item.trim();
        if (t === '') continue;
        const i = t.indexOf(':');
        if (i <= 0) throw new Error(`'${t}' is not a key:value pair`);
        out[t.slice(0, i).trim()] = t.slice(i + 1).trim();
      }
      return out;
    },
    { ...def },
    help,
  );
}

/** The options of one INI section. */
export type SectionSchema = Record<string, Option<any>>;

/** Every section Stratus knows; unknown sections and keys are errors. */
export type ConfigSchema = Record<string, SectionSchema>;

/** The typed values of a section schema. */
export type SectionValues<S extends SectionSchema> = { [K in keyof S]: S[K]['default'] };

/** The typed values of a whole schema. */
export type ConfigValues<C extends ConfigSchema> = { [G in keyof C]: SectionValues<C[G]> };
