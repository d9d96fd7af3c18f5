import { readFileSync } from 'node:fs';
import { ConfigError } from '../../common/errors.js';
import { parseIni, type IniEntry } from './ini.js';
import type { ConfigSchema, ConfigValues, Option } from './options.js';

/** Where a value came from, for error messages. */
interface Source {
  where: string;
  key: string;
  raw: string;
}

/** What to read: files in order (later ones override), the environment, and explicit overrides. */
export interface LoadConfigInput {
  files?: readonly string[];
  /** Environment variables; `OS_<SECTION>__<KEY>` override files, as oslo.config's env source. */
  env?: Record<string, string | undefined>;
  /** Values that win over everything (command-line flags such as --data-dir). */
  overrides?: Record<string, Record<string, string>>;
}

const ENV_KEY = /^OS_([A-Za-z0-9_]+?)__([A-Za-z0-9_]+)$/;

function suggest(name: string, candidates: readonly string[]): string {
  const near = candidates.find((c) => distance(c, name) <= 2);
  return near ? ` (did you mean '${near}'?)` : '';
}

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  return d[a.length]![b.length]!;
}

/** Reads and validates the configuration; throws ConfigError naming file, line and key. */
export function loadConfig<C extends ConfigSchema>(
  schema: C,
  input: LoadConfigInput = {},
): ConfigValues<C> {
  const raw = new Map<string, Map<string, Source>>();
  const put = (section: string, key: string, src: Source) => {
    let s = raw.get(section);
    if (!s) raw.set(section, (s = new Map()));
    s.set(key, src);
  };
  const sections = Object.keys(schema);

  for (const file of input.files ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
    }
    const parsed = parseIni(text, file);
    for (const sec of parsed.sections) {
      if (!schema[sec.name]) {
        throw new ConfigError(
          `${sec.file}:${sec.line}: unknown section [${sec.name}]${suggest(sec.name, sections)}`,
        );
      }
    }
    for (const e of parsed.entries) {
      checkKnown(schema, e);
      put(e.section, e.key, {
        where: `${e.file}:${e.line}`,
        key: `[${e.section}] ${e.key}`,
        raw: e.value,
      });
    }
  }

  for (const [name, value] of Object.entries(input.env ?? {})) {
    const m = ENV_KEY.exec(name);
    if (!m || value === undefined) continue;
    const section = m[1] === 'DEFAULT' ? 'DEFAULT' : m[1]!.toLowerCase();
    const key = m[2]!.toLowerCase();
    if (!schema[section] || !schema[section][key]) {
      throw new ConfigError(`environment variable ${name}: no option [${section}] ${key}`);
    }
    put(section, key, {
      where: `environment variable ${name}`,
      key: `[${section}] ${key}`,
      raw: value,
    });
  }

  for (const [section, values] of Object.entries(input.overrides ?? {})) {
    for (const [key, value] of Object.entries(values)) {
      if (!schema[section]?.[key]) throw new ConfigError(`override: no option [${section}] ${key}`);
      put(section, key, { where: 'command line', key: `[${section}] ${key}`, raw: value });
    }
  }

  const out: Record<string, Record<string, unknown>> = {};
  for (const section of sections) {
    const opts = schema[section]!;
    const values: Record<string, unknown> = {};
    for (const [key, opt] of Object.entries(opts) as [string, Option<unknown>][]) {
      const src = raw.get(section)?.get(key);
      if (!src) {
        values[key] =
          typeof opt.default === 'string'
            ? interpolate(opt.default, section, raw, schema, `[${section}] ${key} default`)
            : opt.default;
        continue;
      }
      const text = interpolate(src.raw, section, raw, schema, `${src.where}: ${src.key}`);
      try {
        values[key] = opt.parse(text);
      } catch (err) {
        throw new ConfigError(`${src.where}: ${src.key}: ${(err as Error).message}`);
      }
    }
    out[section] = values;
  }
  return out as ConfigValues<C>;
}

function checkKnown(schema: ConfigSchema, e: IniEntry): void {
  const opts = schema[e.section]!;
  if (!opts[e.key]) {
    throw new ConfigError(
      `${e.file}:${e.line}: unknown option '${e.key}' in [${e.section}]${suggest(e.key, Object.keys(opts))}`,
    );
  }
}

/**
 * Expands `$name`, `${name}` (an option of [DEFAULT] or the same section) and `${section.name}`
 * as oslo.config does, so values like `$state_path/images` work. `$$` is a literal dollar.
 */
function interpolate(
  value: string,
  section: string,
  raw: Map<string, Map<string, Source>>,
  schema: ConfigSchema,
  where: string,
  depth = 0,
): string {
  if (!value.includes('$')) return value;
  if (depth > 10) throw new ConfigError(`${where}: substitution loop in '${value}'`);
  return value.replace(/\$\$|\$\{([A-Za-z0-9_.]+)\}|\$([A-Za-z0-9_]+)/g, (whole, braced, bare) => {
    if (whole === '$$') return '$';
    const ref: string = braced ?? bare;
    const dotted = ref.includes('.') ? (ref.split('.', 2) as [string, string]) : undefined;
    const refKey = dotted ? dotted[1] : ref;
    const refSection = dotted ? dotted[0] : schema[section]?.[refKey] ? section : 'DEFAULT';
    const opt = schema[refSection]?.[refKey];
    if (!opt) throw new ConfigError(`${where}: '${whole}' names no option`);
    const src = raw.get(refSection)?.get(refKey);
    const base = src ? src.raw : String(opt.default ?? '');
    return interpolate(base, refSection, raw, schema, where, depth + 1);
  });
}
