import { createHash, generateKeyPairSync } from 'node:crypto';
import { BadRequestError } from '../../../common/errors.js';

function invalid(reason: string): BadRequestError {
  return new BadRequestError(`Keypair data is invalid: ${reason}`, {
    code: 'compute.invalid_keypair',
  });
}

/** Reads the length-prefixed fields of an SSH wire-format blob; undefined if it is malformed. */
function sshFields(blob: Buffer): Buffer[] | undefined {
  const out: Buffer[] = [];
  let i = 0;
  while (i < blob.length) {
    if (i + 4 > blob.length) return undefined;
    const n = blob.readUInt32BE(i);
    if (i + 4 + n > blob.length) return undefined;
    out.push(blob.subarray(i + 4, i + 4 + n));
    i += 4 + n;
  }
  return out;
}

/** The field count each key type's blob has, for the structural check. */
const KEY_FIELDS: Record<string, number> = {
  'ssh-rsa': 3,
  'ssh-dss': 5,
  'ssh-ed25519': 2,
  'ecdsa-sha2-nistp256': 3,
  'ecdsa-sha2-nistp384': 3,
  'ecdsa-sha2-nistp521': 3,
};

/**
 * Checks an OpenSSH public key line (`type base64 [comment]`) as upstream does by loading it,
 * and returns its MD5 fingerprint in colon-separated hex, as Nova computes it.
 */
export function sshFingerprint(publicKey: string): string {
  const parts = publicKey.trim().split(/\s+/);
  const [type, data] = parts;
  const fail = () => invalid('failed to generate fingerprint');
  if (!type || !data || !(type in KEY_FIELDS) || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) throw fail();
  const blob = Buffer.from(data, 'base64');
  const fields = sshFields(blob);
  if (!fields || fields.length !== KEY_FIELDS[type] || fields[0]!.toString('latin1') !== type) {
    throw fail();
  }
  if (type === 'ssh-ed25519' && fields[1]!.length !== 32) throw fail();
  if (
    type.startsWith('ecdsa-') &&
    fields[1]!.toString('latin1') !== type.slice('ecdsa-sha2-'.length)
  ) {
    throw fail();
  }
  return colonHex(createHash('md5').update(blob).digest('hex'));
}

/** `aabbcc` → `aa:bb:cc`. */
export function colonHex(hex: string): string {
  return (hex.match(/../g) ?? []).join(':');
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

function mpint(b64url: string): Buffer {
  let b = Buffer.from(b64url, 'base64url');
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  // A leading 0x00 keeps a positive number whose top bit is set from reading as negative.
  return sshString(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

/** A new 2048-bit RSA key pair, as Nova generated them before 2.92. */
export function generateSshKeyPair(): {
  privateKey: string;
  publicKey: string;
  fingerprint: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]);
  const line = `ssh-rsa ${blob.toString('base64')} Generated-by-Nova`;
  return {
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicKey: line,
    fingerprint: sshFingerprint(line),
  };
}
