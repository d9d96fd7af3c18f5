import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { loadKeyRing, repositoryVersion, type KeyRing } from './key-repository.js';
import { decodePayload, encodePayload, type TokenPayload } from './token-payload.js';

const VERSION = 0x53; // 'S': a Stratus sealed token, format 1
const IV_LEN = 12;
const TAG_LEN = 16;
const HEADER_LEN = 5;

/**
 * Seals token payloads with AES-256-GCM under the key repository's primary key and opens them
 * with any key of the repository. The token is `base64url(version | key id | iv | ciphertext |
 * tag)`; the version and key id are authenticated too. The repository is re-read whenever its
 * directory changes, so a rotation by `stratus manage token-keys rotate` applies without restart.
 */
export class TokenSealer {
  private ring: KeyRing | undefined;
  private version = -1;

  constructor(private readonly dir: string) {}

  private keys(): KeyRing {
    const v = repositoryVersion(this.dir);
    if (!this.ring || v !== this.version) {
      this.ring = loadKeyRing(this.dir);
      this.version = v;
    }
    return this.ring;
  }

  /** Seals a payload into a token string. */
  seal(payload: TokenPayload): string {
    const { primary } = this.keys();
    const header = Buffer.concat([Buffer.from([VERSION]), primary.id]);
    const iv = randomBytes(IV_LEN);
    const cipher = createCipheriv('aes-256-gcm', primary.key, iv);
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(encodePayload(payload)), cipher.final()]);
    return Buffer.concat([header, iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** Opens a token; returns null for anything not sealed by a key of the repository. */
  unseal(token: string): TokenPayload | null {
    if (token.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length < HEADER_LEN + IV_LEN + TAG_LEN + 1 || raw[0] !== VERSION) return null;
    const header = raw.subarray(0, HEADER_LEN);
    const key = this.keys().keys.find((k) => k.id.equals(header.subarray(1)));
    if (!key) return null;
    const iv = raw.subarray(HEADER_LEN, HEADER_LEN + IV_LEN);
    const body = raw.subarray(HEADER_LEN + IV_LEN, raw.length - TAG_LEN);
    const tag = raw.subarray(raw.length - TAG_LEN);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
      decipher.setAAD(header);
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(body), decipher.final()]);
      return decodePayload(plain);
    } catch {
      // A wrong tag (tampering) throws from final(), a bad payload from decodePayload: either
      // way the token is simply not valid.
      return null;
    }
  }
}
