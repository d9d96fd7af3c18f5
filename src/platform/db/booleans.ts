/**
 * Boolean convention: INTEGER columns holding 0 or 1 on both dialects. SQLite has no boolean
 * type, and a PostgreSQL boolean would come back as `true` where SQLite gives `1`; with integers
 * the rows and the SQL (`where deleted = 0`) are the same on both, as in Nova's soft-delete
 * columns. Convert at the store boundary with these helpers.
 */

/** The stored form of a boolean column. */
export type DbBoolean = 0 | 1;

/** Converts a boolean for an INTEGER 0/1 column. */
export function toDbBoolean(value: boolean): DbBoolean {
  return value ? 1 : 0;
}

/** Reads an INTEGER 0/1 column (also accepting a true boolean); anything else throws. */
export function fromDbBoolean(value: unknown): boolean {
  if (value === 1 || value === true) return true;
  if (value === 0 || value === false) return false;
  throw new TypeError(`not a stored boolean: ${JSON.stringify(value)}`);
}
