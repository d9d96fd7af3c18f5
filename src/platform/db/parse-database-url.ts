import { ConfigError } from '../../common/errors.js';

/** A database URL understood by Stratus, in the `[database] connection` syntax of oslo.db. */
export type DatabaseTarget =
  | {
      dialect: 'sqlite';
      /** A file path (relative to the working directory, or absolute) or `:memory:`. */
      filename: string;
      safeUrl: string;
    }
  | {
      dialect: 'postgres';
      /** The URL as node-postgres takes it: `postgresql://…`, any SQLAlchemy driver removed. */
      connectionString: string;
      database: string;
      safeUrl: string;
    };

const MEMORY = ':memory:';

/**
 * Parses a SQLAlchemy-style database URL (`sqlite:///rel.db`, `sqlite:////abs.db`, `sqlite://`,
 * `postgresql[+driver]://user:pw@host:port/db`) and throws a ConfigError naming what is wrong.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  const m = /^([a-zA-Z][a-zA-Z0-9]*)(?:\+([a-zA-Z0-9_]+))?:\/\/(.*)$/s.exec(trimmed);
  if (!m) {
    throw new ConfigError(
      `invalid database URL ${JSON.stringify(maskUnparsed(trimmed))}: expected ` +
        `'sqlite:///path/to/file.db' or 'postgresql://user:password@host:port/database'`,
    );
  }
  const scheme = m[1]!.toLowerCase();
  const rest = m[3]!;
  if (scheme === 'sqlite') return parseSqlite(rest, trimmed);
  // `postgres://` is libpq's alias; SQLAlchemy dropped it, but accepting it costs nothing.
  if (scheme === 'postgresql' || scheme === 'postgres') return parsePostgres(rest, trimmed);
  throw new ConfigError(
    `unsupported database backend '${scheme}' in ${JSON.stringify(maskUnparsed(trimmed))}: ` +
      `Stratus supports sqlite and postgresql`,
  );
}

function parseSqlite(rest: string, url: string): DatabaseTarget {
  // SQLAlchemy: everything after `sqlite://` up to the next `/` is the (always empty) host;
  // the remainder after that slash is the path, so `sqlite:////abs` names `/abs`.
  if (rest.includes('?')) {
    throw new ConfigError(`sqlite URL ${JSON.stringify(url)} must not carry query parameters`);
  }
  if (rest === '') return { dialect: 'sqlite', filename: MEMORY, safeUrl: 'sqlite://' };
  if (!rest.startsWith('/')) {
    throw new ConfigError(
      `sqlite URL ${JSON.stringify(url)} has a host part; use 'sqlite:///relative.db' or ` +
        `'sqlite:////absolute/path.db'`,
    );
  }
  const path = safeDecode(rest.slice(1), url);
  // As SQLAlchemy's pysqlite dialect: an empty path is an in-memory database.
  if (path === '' || path === MEMORY) {
    return { dialect: 'sqlite', filename: MEMORY, safeUrl: 'sqlite://' };
  }
  if (path.endsWith('/')) {
    throw new ConfigError(`sqlite URL ${JSON.stringify(url)} names a directory, not a file`);
  }
  return { dialect: 'sqlite', filename: path, safeUrl: url };
}

function parsePostgres(rest: string, url: string): DatabaseTarget {
  const connectionString = `postgresql://${rest}`;
  // A unix-socket directory comes as `postgresql://user@/db?host=/run/postgresql`; WHATWG URL
  // rejects credentials with an empty host, so parse with a placeholder host and check `?host=`.
  const authority = /^[^/?#]*/.exec(rest)![0];
  const emptyHost = authority.slice(authority.lastIndexOf('@') + 1) === '';
  const forParsing = emptyHost
    ? `postgresql://${authority}localhost${rest.slice(authority.length)}`
    : connectionString;
  let parsed: URL;
  try {
    parsed = new URL(forParsing);
  } catch {
    throw new ConfigError(
      `invalid postgresql URL ${JSON.stringify(maskUnparsed(url))}: expected ` +
        `'postgresql://user:password@host:port/database'`,
    );
  }
  const safe = emptyHost ? maskPassword(parsed).replace('localhost', '') : maskPassword(parsed);
  if ((emptyHost || parsed.hostname === '') && !parsed.searchParams.get('host')) {
    throw new ConfigError(`postgresql URL ${JSON.stringify(safe)} names no host`);
  }
  if (parsed.port !== '' && !/^\d+$/.test(parsed.port)) {
    throw new ConfigError(`postgresql URL ${JSON.stringify(safe)} has an invalid port`);
  }
  const database = safeDecode(parsed.pathname.replace(/^\//, ''), safe);
  if (database === '' || database.includes('/')) {
    throw new ConfigError(
      `postgresql URL ${JSON.stringify(safe)} must name exactly one database, as in ` +
        `'postgresql://user:password@host:5432/nova'`,
    );
  }
  return { dialect: 'postgres', connectionString, database, safeUrl: safe };
}

function maskPassword(u: URL): string {
  const copy = new URL(u.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href;
}

/** Masks anything that looks like a password in a URL we could not parse, before quoting it. */
function maskUnparsed(url: string): string {
  return url.replace(/^([^:/]*:\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}

function safeDecode(s: string, url: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ConfigError(`database URL ${JSON.stringify(url)} has a malformed %-escape`);
  }
}
