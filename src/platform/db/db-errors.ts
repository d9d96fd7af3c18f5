/**
 * Classifies driver errors of both dialects, so services can map them to API errors (a unique
 * violation to 409, a lock timeout to 409 or 503) without knowing the backend. node-postgres
 * puts the SQLSTATE in `code`; better-sqlite3 puts the extended result code name there.
 * Wrapped errors are followed through `cause`.
 */

const PG_UNIQUE_VIOLATION = '23505';
const PG_FOREIGN_KEY_VIOLATION = '23503';
const PG_SERIALIZATION_FAILURE = '40001';
const PG_DEADLOCK_DETECTED = '40P01';
const PG_LOCK_NOT_AVAILABLE = '55P03';
const PG_QUERY_CANCELED = '57014';

function codes(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  // Bounded walk: a cause cycle must not hang the caller.
  for (let depth = 0; depth < 8 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') out.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

function hasCode(err: unknown, match: (code: string) => boolean): boolean {
  return codes(err).some(match);
}

/** True when `err` is a UNIQUE or PRIMARY KEY violation on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  return hasCode(
    err,
    (c) =>
      c === PG_UNIQUE_VIOLATION ||
      c === 'SQLITE_CONSTRAINT_UNIQUE' ||
      c === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  );
}

/** True when `err` is a FOREIGN KEY violation (missing parent, or parent still referenced). */
export function isForeignKeyViolation(err: unknown): boolean {
  return hasCode(
    err,
    (c) => c === PG_FOREIGN_KEY_VIOLATION || c === 'SQLITE_CONSTRAINT_FOREIGNKEY',
  );
}

/**
 * True when the whole transaction may succeed if simply run again: a PostgreSQL serialization
 * failure or deadlock, or SQLite busy/locked. These are what withTransaction retries.
 */
export function isRetryableTransactionError(err: unknown): boolean {
  return hasCode(
    err,
    (c) =>
      c === PG_SERIALIZATION_FAILURE ||
      c === PG_DEADLOCK_DETECTED ||
      c.startsWith('SQLITE_BUSY') ||
      c.startsWith('SQLITE_LOCKED'),
  );
}

/**
 * True when a lock wait or statement ran past its deadline: PostgreSQL `lock_timeout` or
 * `statement_timeout`, or SQLite's busy_timeout (reported as SQLITE_BUSY).
 */
export function isLockTimeout(err: unknown): boolean {
  return hasCode(
    err,
    (c) => c === PG_LOCK_NOT_AVAILABLE || c === PG_QUERY_CANCELED || c.startsWith('SQLITE_BUSY'),
  );
}
