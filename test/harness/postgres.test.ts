import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postgresSkip } from './postgres.js';

function withEnv(vars: Record<string, string | undefined>, fn: () => void): void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (v: Record<string, string | undefined>) => {
    for (const [k, x] of Object.entries(v)) {
      if (x === undefined) delete process.env[k];
      else process.env[k] = x;
    }
  };
  set(vars);
  try {
    fn();
  } finally {
    set(saved);
  }
}

test('missing PostgreSQL binaries skip with a message outside CI', () => {
  withEnv({ STRATUS_PG_BIN: '/nonexistent', CI: undefined }, () => {
    const skip = postgresSkip();
    assert.ok(typeof skip === 'string' && skip.includes('/nonexistent'));
  });
});

test('missing PostgreSQL binaries do not skip under CI=true, so the tests fail', () => {
  withEnv({ STRATUS_PG_BIN: '/nonexistent', CI: 'true' }, () => {
    assert.equal(postgresSkip(), false);
  });
});
