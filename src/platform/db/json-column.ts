/**
 * JSON columns are TEXT on both dialects, not PostgreSQL jsonb: the same bytes come back on both
 * (jsonb reorders keys and drops duplicates, and node-postgres would hand back parsed objects
 * where SQLite hands back strings), and no service queries inside a JSON document — Nova, too,
 * keeps its JSON blobs (request specs, flavor extra specs, system metadata) in Text columns.
 */

/** Serializes a value for a JSON text column; `undefined` is rejected rather than stored as null. */
export function toJsonColumn(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('cannot store undefined in a JSON column');
  return text;
}

/** Parses a JSON text column; SQL NULL stays null, and corrupt text throws naming the column. */
export function fromJsonColumn<T = unknown>(text: string | null, column = 'JSON column'): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${column} holds invalid JSON: ${(err as Error).message}`, { cause: err });
  }
}
