import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyPassword } from './password-hasher.js';

// A low cost keeps the test fast; the parameters travel inside the hash.
const cheap = { N: 1024, r: 8, p: 1 };

describe('password hasher', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const h = await hashPassword('s3cret', cheap);
    assert.match(h, /^scrypt\$1024\$8\$1\$/);
    assert.equal(await verifyPassword('s3cret', h), true);
    assert.equal(await verifyPassword('s3cret ', h), false);
    assert.equal(await verifyPassword('', h), false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const a = await hashPassword('pw', cheap);
    const b = await hashPassword('pw', cheap);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('pw', b), true);
  });

  it('treats a missing or malformed hash as no match', async () => {
    assert.equal(await verifyPassword('pw', null), false);
    assert.equal(await verifyPassword('pw', 'plain'), false);
    assert.equal(await verifyPassword('pw', 'scrypt$x$8$1$AA==$AA=='), false);
    assert.equal(await verifyPassword('pw', 'scrypt$1024$8$1$AA==$AA=='), false);
  });

  it('normalizes Unicode so composed and decomposed forms match', async () => {
    const h = await hashPassword('caf\u00e9', cheap);
    assert.equal(await verifyPassword('cafe\u0301', h), true);
  });
});
