/**
 * A stored timestamp (`2026-01-02T03:04:05.000000Z`) as Nova renders datetimes in most bodies:
 * ISO 8601 with microseconds and no zone (`2026-01-02T03:04:05.000000`).
 */
export function novaTime(stored: string): string;
export function novaTime(stored: string | null): string | null;
export function novaTime(stored: string | null): string | null {
  return stored === null ? null : stored.replace(/Z$/, '');
}
