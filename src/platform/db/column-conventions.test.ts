import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromDbBoolean, toDbBoolean } from './booleans.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { fromDbTimestamp, now, toDbTimestamp } from './timestamps.js';

test('timestamps are fixed-width UTC with six fractional digits', () => {
  assert.equal(
    now({ now: () => Date.UTC(2024, 4, 1, 12, 34, 56, 789) }),
    '2024-05-01T12:34:56.789000Z',
  );
  assert.equal(toDbTimestamp(new Date(0)), '1970-01-01T00:00:00.000000Z');
  assert.equal(
    fromDbTimestamp('2024-05-01T12:34:56.789123Z').getTime(),
    Date.UTC(2024, 4, 1, 12, 34, 56, 789),
  );
  assert.equal(typeof now({ now: () => Date.now() }), 'string');
});

test('timestamps sort as strings in time order', () => {
  const times = [Date.UTC(9999, 0), Date.UTC(1970, 0), Date.UTC(2000, 0, 1, 0, 0, 0, 1), 0, 999];
  const stored = times.map((t) => toDbTimestamp(t));
  assert.deepEqual(
    [...stored].sort().map((s) => fromDbTimestamp(s).getTime()),
    [...times].sort((a, b) => a - b),
  );
});

test('timestamps outside the fixed-width range or malformed are refused', () => {
  assert.throws(() => toDbTimestamp(Date.UTC(10000, 0)), RangeError);
  assert.throws(() => toDbTimestamp(Number.NaN), RangeError);
  assert.throws(() => fromDbTimestamp('2024-05-01 12:34:56'), RangeError);
});

test('booleans are stored as 0/1 and read strictly', () => {
  assert.equal(toDbBoolean(true), 1);
  assert.equal(toDbBoolean(false), 0);
  assert.equal(fromDbBoolean(1), true);
  assert.equal(fromDbBoolean(0), false);
  assert.equal(fromDbBoolean(true), true);
  assert.throws(() => fromDbBoolean('1'), TypeError);
  assert.throws(() => fromDbBoolean(null), TypeError);
});

test('JSON columns keep null as SQL NULL and name the column of corrupt text', () => {
  assert.equal(toJsonColumn(null), 'null');
  assert.equal(fromJsonColumn(null), null);
  assert.deepEqual(fromJsonColumn('{"a":[1]}'), { a: [1] });
  assert.throws(() => toJsonColumn(undefined), TypeError);
  assert.throws(
    () => fromJsonColumn('{', 'instances.system_metadata'),
    /instances\.system_metadata/,
  );
});
