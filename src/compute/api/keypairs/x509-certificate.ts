import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadRequestError, ServiceUnavailableError } from '../../../common/errors.js';
import { colonHex } from './ssh-public-key.js';

/** The SHA-1 fingerprint of a PEM certificate in Nova's lower-case colon form. */
export function x509Fingerprint(pem: string): string {
  try {
    return colonHex(new X509Certificate(pem).fingerprint.replace(/:/g, '').toLowerCase());
  } catch (err) {
    throw new BadRequestError(
      `Keypair data is invalid: failed to generate X509 fingerprint. Error message: ${(err as Error).message}`,
      { code: 'compute.invalid_keypair' },
    );
  }
}

function openssl(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { timeout: timeoutMs }, (err) =>
      err
        ? reject(
            new ServiceUnavailableError('Could not generate an x509 key pair.', { cause: err }),
          )
        : resolve(),
    );
  });
}

/**
 * A new client certificate for WinRM password-less login as `userId`, as Nova generated x509
 * key pairs before 2.92: the certificate is the public key and a passwordless PKCS#12 bundle,
 * base64-encoded, the private key. Uses the openssl command line, with a deadline.
 */
export async function generateX509KeyPair(
  userId: string,
  timeoutMs = 30_000,
): Promise<{ privateKey: string; publicKey: string; fingerprint: string }> {
  // The user id goes into an openssl config and subject; keep it to characters safe in both.
  const safe = userId.replace(/[^A-Za-z0-9._@-]/g, '_');
  const dir = await mkdtemp(join(tmpdir(), 'stratus-x509-'));
  try {
    const conf = join(dir, 'req.conf');
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const p12 = join(dir, 'bundle.p12');
    await writeFile(
      conf,
      'distinguished_name = dn\n[dn]\n[v3_req_client]\nextendedKeyUsage = clientAuth\n' +
        `subjectAltName = otherName:1.3.6.1.4.1.311.20.2.3;UTF8:${safe}@localhost\n`,
    );
    await openssl(
      [
        'req',
        '-x509',
        '-nodes',
        '-days',
        '3650',
        '-config',
        conf,
        '-newkey',
        'rsa:2048',
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        `/CN=${safe}`,
        '-extensions',
        'v3_req_client',
      ],
      timeoutMs,
    );
    await openssl(
      ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', p12, '-password', 'pass:'],
      timeoutMs,
    );
    const publicKey = await readFile(cert, 'utf8');
    return {
      privateKey: (await readFile(p12)).toString('base64'),
      publicKey,
      fingerprint: x509Fingerprint(publicKey),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
