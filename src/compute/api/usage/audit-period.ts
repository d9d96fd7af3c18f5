/**
 * The most recently completed audit period before `at`, as upstream's
 * last_completed_audit_period: `unit` is `hour`, `day`, `month` or `year`, optionally with an
 * offset (`day@18` starts days at 18:00 UTC, `month@15` on the 15th, `year@3` in March).
 */
export function lastCompletedAuditPeriod(unit: string, at: Date): { begin: Date; end: Date } {
  const [name, rawOffset] = unit.split('@', 2) as [string, string | undefined];
  let offset = rawOffset === undefined ? 0 : Number.parseInt(rawOffset, 10);
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const utc = (year: number, month: number, day = 1, hour = 0, minute = 0) =>
    new Date(Date.UTC(year, month, day, hour, minute));
  if (name === 'month') {
    if (offset === 0) offset = 1;
    let end = utc(y, m, offset);
    if (end >= at) end = utc(y, m - 1, offset);
    return { begin: utc(end.getUTCFullYear(), end.getUTCMonth() - 1, offset), end };
  }
  if (name === 'year') {
    if (offset === 0) offset = 1;
    let end = utc(y, offset - 1);
    if (end >= at) end = utc(y - 1, offset - 1);
    return { begin: utc(end.getUTCFullYear() - 1, offset - 1), end };
  }
  if (name === 'day') {
    let end = utc(y, m, at.getUTCDate(), offset);
    if (end >= at) end = new Date(end.getTime() - 86_400_000);
    return { begin: new Date(end.getTime() - 86_400_000), end };
  }
  let end = utc(y, m, at.getUTCDate(), at.getUTCHours(), offset);
  if (end >= at) end = new Date(end.getTime() - 3_600_000);
  return { begin: new Date(end.getTime() - 3_600_000), end };
}

/** Python's `str(datetime)` of a whole-second UTC time: `2012-06-01 00:00:00`. */
export function pyDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
