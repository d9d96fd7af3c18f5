import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchemaValidator, type Check } from '../schema-validator.js';
import { compilePlacementChecks } from './placement-checks.js';

type Checks = { [name: string]: Check | Checks };

function* each(checks: Checks, prefix = ''): Generator<[string, Check]> {
  for (const [name, c] of Object.entries(checks)) {
    if (typeof c === 'function') yield [`${prefix}${name}`, c];
    else yield* each(c, `${prefix}${name}.`);
  }
}

// Checks compile when first used; this uses each one so a schema ajv refuses fails here, not in
// a user's first request.
test('every placement request schema compiles and refuses a number', () => {
  let n = 0;
  for (const [name, check] of each(compilePlacementChecks(new SchemaValidator()) as Checks)) {
    assert.equal(typeof check(42), 'string', `${name} accepted 42`);
    n++;
  }
  assert.ok(n > 30, `only ${n} checks`);
});
