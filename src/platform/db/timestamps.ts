import type { Clock } from '../../common/clock.js';

/**
 * Timestamp convention: TEXT columns holding UTC in a fixed-width ISO 8601 form with
 * microseconds, `2024-05-01T12:34:56.789000Z`, on both dialects.
 * - Fixed width and a fixed `Z` make string order chronological, so ORDER BY, MIN and range
 *   predicates work on the column as is, under any collation, and the same SQL runs on both.
 * - It is readable in `sqlite3` and `psql`, and close to what the APIs render (Nova shows
 *   `…T12:34:56.000000`), where epoch integers would need converting everywhere and, past
 *   2^31, a bigint column on PostgreSQL but not on SQLite.
 * - Six fractional digits, as Python's isoformat: JavaScript clocks give milliseconds, so the
 *   last three are zero here, but rows written with real microseconds still sort correctly.
 */

const STORED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The current time of `clock` (systemClock, or a test's fake) in the stored timestamp form. */
export function now(clock: Clock): string {
  return toDbTimestamp(clock.now());
}

/** Formats a Date or epoch milliseconds in the stored form; years outside 0000–9999 throw. */
export function toDbTimestamp(value: Date | number): string {
  const d = typeof value === 'number' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid timestamp');
  const iso = d.toISOString();
  // Years beyond four digits render as `+012345-…`, which would break the fixed width.
  if (iso.length !== 24) throw new RangeError(`timestamp out of range: ${iso}`);
  return `${iso.slice(0, 23)}000Z`;
}

/** Parses a stored timestamp back to a Date (sub-millisecond digits are dropped). */
export function fromDbTimestamp(text: string): Date {
  if (!STORED.test(text)) throw new RangeError(`not a stored timestamp: ${JSON.stringify(text)}`);
  return new Date(`${text.slice(0, 23)}Z`);
}
