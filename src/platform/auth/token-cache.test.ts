import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceUnavailableError, UnauthorizedError } from '../../common/errors.js';
import type { RequestContext, TokenValidator } from './request-context.js';
import { CachingTokenValidator } from './token-cache.js';

type Grant = Omit<RequestContext, 'requestId'>;

function grant(expiresAt: string | null): Grant {
  return {
    authToken: 't',
    userId: 'u',
    userName: 'u',
    userDomainId: 'default',
    projectId: 'p',
    projectName: 'p',
    projectDomainId: 'default',
    domainId: null,
    systemScope: null,
    roles: ['member'],
    applicationCredentialId: null,
    expiresAt,
  };
}

/** An identity stand-in that counts the validations that reach it. */
function counting(answer: (token: string) => Promise<Grant>) {
  const calls: string[] = [];
  const v: TokenValidator = {
    validate: (token) => {
      calls.push(token);
      return answer(token);
    },
  };
  return { v, calls };
}

test('reuses an answer within its time, then asks again', async () => {
  let t = 0;
  const clock = { now: () => t };
  const { v, calls } = counting(async () => grant(null));
  const cache = new CachingTokenValidator(v, { ttlMs: 5000, clock });
  await cache.validate('a');
  await cache.validate('a');
  assert.equal(calls.length, 1);
  t = 5001;
  await cache.validate('a');
  assert.equal(calls.length, 2);
});

test('never past the expiry of the token', async () => {
  let t = Date.parse('2026-01-01T00:00:00Z');
  const clock = { now: () => t };
  const { v, calls } = counting(async () => grant('2026-01-01T00:00:01Z'));
  const cache = new CachingTokenValidator(v, { ttlMs: 60_000, clock });
  await cache.validate('a');
  t += 1500;
  await cache.validate('a');
  assert.equal(calls.length, 2);
});

test('a new generation drops every earlier answer', async () => {
  let generation = 0;
  const { v, calls } = counting(async () => grant(null));
  const cache = new CachingTokenValidator(v, {
    ttlMs: 60_000,
    clock: { now: () => 0 },
    generation: () => generation,
  });
  await cache.validate('a');
  generation++;
  await cache.validate('a');
  await cache.validate('a');
  assert.equal(calls.length, 2);
});

test('remembers a 401 but not an identity service that failed to answer', async () => {
  let down = true;
  const { v, calls } = counting(async (token) => {
    if (token === 'bad') throw new UnauthorizedError();
    if (down) throw new ServiceUnavailableError('identity away');
    return grant(null);
  });
  const cache = new CachingTokenValidator(v, { ttlMs: 60_000, clock: { now: () => 0 } });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(cache.validate('bad'), UnauthorizedError);
  }
  assert.equal(calls.filter((c) => c === 'bad').length, 1);
  await assert.rejects(cache.validate('good'), ServiceUnavailableError);
  down = false;
  assert.equal((await cache.validate('good')).userId, 'u');
});

test('concurrent validations of one token ask once', async () => {
  const { v, calls } = counting(
    () => new Promise((resolve) => setTimeout(() => resolve(grant(null)), 10)),
  );
  const cache = new CachingTokenValidator(v, { ttlMs: 60_000, clock: { now: () => 0 } });
  await Promise.all([cache.validate('a'), cache.validate('a'), cache.validate('a')]);
  assert.equal(calls.length, 1);
});

test('keeps at most maxEntries answers, dropping the oldest', async () => {
  const { v, calls } = counting(async () => grant(null));
  const cache = new CachingTokenValidator(v, {
    ttlMs: 60_000,
    clock: { now: () => 0 },
    maxEntries: 2,
  });
  await cache.validate('a');
  await cache.validate('b');
  await cache.validate('c');
  await cache.validate('b');
  assert.equal(calls.length, 3);
  await cache.validate('a');
  assert.equal(calls.length, 4);
});

test('with no time to live every validation reaches identity', async () => {
  const { v, calls } = counting(async () => grant(null));
  const cache = new CachingTokenValidator(v, { ttlMs: 0, clock: { now: () => 0 } });
  await cache.validate('a');
  await cache.validate('a');
  assert.equal(calls.length, 2);
});
