import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { rotateKeyRepository, setupKeyRepository } from './key-repository.js';
import { TokenSealer } from './token-sealer.js';
import type { TokenPayload } from './token-payload.js';

const root = mkdtempSync(join(tmpdir(), 'stratus-keys-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function repo(): string {
  const dir = join(root, `r${++n}`);
  setupKeyRepository(dir);
  return dir;
}

const payload: TokenPayload = {
  userId: '0123456789abcdef0123456789abcdef',
  methods: ['password', 'token'],
  scope: { kind: 'project', id: 'fedcba9876543210fedcba9876543210' },
  expiresAt: 1_700_000_360_000,
  issuedAt: 1_700_000_000_123,
  auditIds: ['AAAAAAAAAAAAAAAAAAAAAA', 'qqqqqqqqqqqqqqqqqqqqqg'],
  applicationCredentialId: null,
};

describe('token sealer and key repository', () => {
  it('round-trips every scope and an application credential, and stays short', () => {
    const s = new TokenSealer(repo());
    for (const scope of [
      payload.scope,
      { kind: 'domain', id: 'default' } as const,
      { kind: 'system' } as const,
      { kind: 'unscoped' } as const,
    ]) {
      const p = { ...payload, scope, applicationCredentialId: 'abcdefabcdefabcdefabcdefabcdefab' };
      const token = s.seal(p);
      assert.match(token, /^[A-Za-z0-9_-]+$/);
      assert.ok(token.length < 255, `token of ${token.length} chars`);
      assert.deepEqual(s.unseal(token), p);
    }
  });

  it('rejects a tampered, truncated or foreign token', () => {
    const s = new TokenSealer(repo());
    const token = s.seal(payload);
    const bytes = Buffer.from(token, 'base64url');
    bytes[bytes.length - 20]! ^= 1;
    assert.equal(s.unseal(bytes.toString('base64url')), null);
    assert.equal(s.unseal(token.slice(0, -4)), null);
    assert.equal(s.unseal('not a token!'), null);
    assert.equal(new TokenSealer(repo()).unseal(token), null);
  });

  it('accepts the staged key before rotation makes it the primary', () => {
    // Two nodes share a synced repository; one rotates before the other syncs again.
    const nodeA = repo();
    const nodeB = join(root, `r${++n}`);
    cpSync(nodeA, nodeB, { recursive: true });
    rotateKeyRepository(nodeA, { maxActiveKeys: 3, tokenExpirationS: 3600, nowMs: Date.now() });
    const fresh = new TokenSealer(nodeA).seal(payload);
    // A's new primary is the staged key B already has.
    assert.deepEqual(new TokenSealer(nodeB).unseal(fresh), payload);
  });

  it('keeps old keys valid until their tokens expire, then prunes them', () => {
    const dir = repo();
    const s = new TokenSealer(dir);
    const old = s.seal(payload);
    const t0 = Date.now();
    const rotate = (nowMs: number) =>
      rotateKeyRepository(dir, { maxActiveKeys: 3, tokenExpirationS: 3600, nowMs });
    rotate(t0);
    const second = rotate(t0 + 1000);
    // Key 1 sealed `old` and retired at t0: an hour has not passed, so it is kept.
    assert.deepEqual(second.kept, [1]);
    assert.deepEqual(s.unseal(old), payload);
    const third = rotate(t0 + 3_601_000);
    assert.deepEqual(third.removed, [1, 2]);
    assert.deepEqual(readdirSync(dir).sort(), ['0', '3', '4'].sort());
    assert.equal(s.unseal(old), null);
  });

  it('stores keys readable only by their owner', () => {
    const dir = repo();
    assert.equal(statSync(join(dir, '1')).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  });
});
