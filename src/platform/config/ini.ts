import { ConfigError } from '../../common/errors.js';

/** One `key = value` line of an INI file, with where it came from. */
export interface IniEntry {
  section: string;
  key: string;
  value: string;
  file: string;
  line: number;
}

/** A `[section]` header and where it is. */
export interface IniSection {
  name: string;
  file: string;
  line: number;
}

/** What an INI file holds, in order. */
export interface IniFile {
  sections: IniSection[];
  entries: IniEntry[];
}

/**
 * Parses oslo.config's INI dialect: `[section]` headers, `key = value` (or `key: value`) lines,
 * `#` and `;` comment lines, and indented continuation lines appended to the previous value.
 * Keeps line numbers so that errors can name file, line and key.
 */
export function parseIni(text: string, file: string): IniFile {
  const entries: IniEntry[] = [];
  const sections: IniSection[] = [];
  let section: string | undefined;
  let last: IniEntry | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const lineNo = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '') {
      last = undefined;
      continue;
    }
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (/^\s/.test(raw) && last) {
      // oslo.config folds indented lines into the previous value, joined by a newline.
      last.value = `${last.value}\n${trimmed}`;
      continue;
    }
    if (trimmed.startsWith('[')) {
      const m = /^\[([^\]]+)\]$/.exec(trimmed);
      if (!m) throw new ConfigError(`${file}:${lineNo}: malformed section header '${trimmed}'`);
      section = m[1]!.trim();
      sections.push({ name: section, file, line: lineNo });
      last = undefined;
      continue;
    }
    const m = /^([^=:\s][^=:]*?)\s*[=:]\s?(.*)$/.exec(trimmed);
    if (!m) throw new ConfigError(`${file}:${lineNo}: expected 'key = value', got '${trimmed}'`);
    if (section === undefined) {
      throw new ConfigError(`${file}:${lineNo}: key '${m[1]}' appears before any [section]`);
    }
    last = { section, key: m[1]!.trim(), value: m[2]!.trim(), file, line: lineNo };
    entries.push(last);
  }
  return { sections, entries };
}
