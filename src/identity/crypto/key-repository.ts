import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../common/errors.js';

/**
 * The token key repository, laid out as keystone's fernet repository: one file per key named by
 * an integer. `0` is the staged key (accepted, not yet used to seal), the highest number is the
 * primary (seals new tokens), the rest are secondaries (accepted until pruned). Rotation turns
 * the staged key into the primary, so every node that has synced the repository already
 * accepts a key before any node seals with it.
 */

/** One AES-256 key and the short id tokens carry to name it. */
export interface TokenKey {
  /** File name: 0 staged, highest primary. */
  index: number;
  /** First 4 bytes of SHA-256 of the key: names the key inside a token without revealing it. */
  id: Buffer;
  key: Buffer;
}

/** The keys of a repository: the primary seals, all of them unseal. */
export interface KeyRing {
  primary: TokenKey;
  keys: TokenKey[];
}

const KEY_BYTES = 32;

function keyId(key: Buffer): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, 4);
}

function indexes(dir: string): number[] {
  return readdirSync(dir)
    .filter((f) => /^\d+$/.test(f))
    .map(Number)
    .sort((a, b) => a - b);
}

function writeKey(dir: string, index: number): void {
  // Write then rename: a reader never sees a half-written key.
  const tmp = join(dir, `.tmp-${index}-${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600 });
  renameSync(tmp, join(dir, String(index)));
}

function readKey(dir: string, index: number): TokenKey {
  const text = readFileSync(join(dir, String(index)), 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new ConfigError(`token key ${join(dir, String(index))} is not a ${KEY_BYTES}-byte key`);
  }
  return { index, id: keyId(key), key };
}

/** Creates the repository with a staged and a primary key when it has no keys yet. */
export function setupKeyRepository(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (indexes(dir).length > 0) return false;
  chmodSync(dir, 0o700);
  writeKey(dir, 0);
  writeKey(dir, 1);
  return true;
}

/** Reads every key; the repository must have a staged and a primary key. */
export function loadKeyRing(dir: string): KeyRing {
  if (!existsSync(dir)) {
    throw new ConfigError(
      `token key repository ${dir} does not exist (run stratus manage token-keys setup)`,
    );
  }
  const all = indexes(dir);
  if (all.length < 2 || all[0] !== 0) {
    throw new ConfigError(`token key repository ${dir} needs a staged key (0) and a primary key`);
  }
  const keys = all.map((i) => readKey(dir, i));
  return { primary: keys.at(-1)!, keys };
}

/** What a rotation did, for the operator. */
export interface RotationResult {
  primary: number;
  removed: number[];
  /** Secondaries beyond max_active_keys kept because tokens sealed with them may not yet expire. */
  kept: number[];
}

/**
 * Rotates the repository: the staged key becomes the primary, a new staged key is written, and
 * secondaries beyond `maxActiveKeys` are removed, oldest first, but only once every token they
 * sealed has expired. A secondary's mtime records when it stopped being the primary.
 */
export function rotateKeyRepository(
  dir: string,
  opts: { maxActiveKeys: number; tokenExpirationS: number; nowMs: number },
): RotationResult {
  loadKeyRing(dir);
  const before = indexes(dir);
  const oldPrimary = before.at(-1)!;
  const newPrimary = oldPrimary + 1;
  const nowS = opts.nowMs / 1000;
  // The old primary stops sealing now: tokens it sealed expire by now + expiration.
  utimesSync(join(dir, String(oldPrimary)), nowS, nowS);
  renameSync(join(dir, '0'), join(dir, String(newPrimary)));
  writeKey(dir, 0);

  const secondaries = indexes(dir).filter((i) => i !== 0 && i !== newPrimary);
  let excess = secondaries.length + 2 - opts.maxActiveKeys;
  const removed: number[] = [];
  const kept: number[] = [];
  for (const i of secondaries) {
    if (excess <= 0) break;
    const path = join(dir, String(i));
    const retiredMs = statSync(path).mtimeMs;
    if (retiredMs + opts.tokenExpirationS * 1000 <= opts.nowMs) {
      unlinkSync(path);
      removed.push(i);
    } else {
      kept.push(i);
    }
    excess--;
  }
  return { primary: newPrimary, removed, kept };
}

/** The directory's change time, to notice rotations made by another process. */
export function repositoryVersion(dir: string): number {
  return statSync(dir).mtimeMs;
}
