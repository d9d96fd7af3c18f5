/**
 * What a sealed token carries, like keystone's fernet payloads: who, how, which scope, when, and
 * the audit ids. Roles, names and the catalog are looked up again at every validation, so that
 * a role removed or a user disabled takes effect at once.
 */

/** The authentication methods Stratus issues tokens for. */
export type AuthMethod = 'password' | 'token' | 'application_credential';

/** The scope a token was issued for. */
export type TokenScope =
  | { kind: 'unscoped' }
  | { kind: 'project'; id: string }
  | { kind: 'domain'; id: string }
  | { kind: 'system' };

/** The sealed content of a token. */
export interface TokenPayload {
  userId: string;
  methods: AuthMethod[];
  scope: TokenScope;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  issuedAt: number;
  /** This token's audit id, then (after a rescope) the audit id of the chain's first token. */
  auditIds: string[];
  applicationCredentialId: string | null;
}

const METHOD_BITS: Record<AuthMethod, number> = {
  password: 1,
  token: 2,
  application_credential: 4,
};
const SCOPE_CODES = { unscoped: 0, project: 1, domain: 2, system: 3 } as const;
const FORMAT = 1;
const HEX32 = /^[0-9a-f]{32}$/;

/** A token whose content cannot be decoded (tampered, truncated or of an unknown format). */
export class MalformedPayloadError extends Error {}

class Writer {
  private readonly parts: Buffer[] = [];
  byte(n: number): void {
    this.parts.push(Buffer.from([n]));
  }
  time(ms: number): void {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(ms);
    this.parts.push(b);
  }
  /** Ids: a 32-digit hex id (keystone's uuid4().hex) packs into 16 bytes, others go as text. */
  id(value: string): void {
    if (HEX32.test(value)) {
      this.byte(0);
      this.parts.push(Buffer.from(value, 'hex'));
      return;
    }
    const text = Buffer.from(value, 'utf8');
    if (text.length < 1 || text.length > 255) throw new RangeError(`id too long: ${value}`);
    this.byte(text.length);
    this.parts.push(text);
  }
  raw(b: Buffer): void {
    this.parts.push(b);
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  private take(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new MalformedPayloadError('token payload truncated');
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  byte(): number {
    return this.take(1)[0]!;
  }
  time(): number {
    return this.take(8).readDoubleBE(0);
  }
  id(): string {
    const len = this.byte();
    return len === 0 ? this.take(16).toString('hex') : this.take(len).toString('utf8');
  }
  raw(n: number): Buffer {
    return this.take(n);
  }
  end(): void {
    if (this.pos !== this.buf.length) throw new MalformedPayloadError('token payload too long');
  }
}

/** Packs a payload into bytes (about 100 for a project token), to keep tokens short. */
export function encodePayload(p: TokenPayload): Buffer {
  const w = new Writer();
  w.byte(FORMAT);
  w.byte(p.methods.reduce((bits, m) => bits | METHOD_BITS[m], 0));
  w.byte(SCOPE_CODES[p.scope.kind]);
  w.id(p.userId);
  if (p.scope.kind === 'project' || p.scope.kind === 'domain') w.id(p.scope.id);
  w.time(p.expiresAt);
  w.time(p.issuedAt);
  w.byte(p.auditIds.length);
  for (const a of p.auditIds) {
    const bytes = Buffer.from(a, 'base64url');
    if (bytes.length !== 16) throw new RangeError(`not an audit id: ${a}`);
    w.raw(bytes);
  }
  if (p.applicationCredentialId) {
    w.byte(1);
    w.id(p.applicationCredentialId);
  } else {
    w.byte(0);
  }
  return w.done();
}

/** Unpacks a payload; throws MalformedPayloadError on anything unexpected. */
export function decodePayload(buf: Buffer): TokenPayload {
  const r = new Reader(buf);
  if (r.byte() !== FORMAT) throw new MalformedPayloadError('unknown token payload format');
  const bits = r.byte();
  const methods = (Object.keys(METHOD_BITS) as AuthMethod[]).filter((m) => bits & METHOD_BITS[m]);
  const code = r.byte();
  const userId = r.id();
  let scope: TokenScope;
  if (code === SCOPE_CODES.project) scope = { kind: 'project', id: r.id() };
  else if (code === SCOPE_CODES.domain) scope = { kind: 'domain', id: r.id() };
  else if (code === SCOPE_CODES.system) scope = { kind: 'system' };
  else if (code === SCOPE_CODES.unscoped) scope = { kind: 'unscoped' };
  else throw new MalformedPayloadError('unknown token scope');
  const expiresAt = r.time();
  const issuedAt = r.time();
  const n = r.byte();
  const auditIds: string[] = [];
  for (let i = 0; i < n; i++) auditIds.push(r.raw(16).toString('base64url'));
  const applicationCredentialId = r.byte() === 1 ? r.id() : null;
  r.end();
  if (methods.length === 0 || !Number.isFinite(expiresAt) || !Number.isFinite(issuedAt)) {
    throw new MalformedPayloadError('invalid token payload');
  }
  return { userId, methods, scope, expiresAt, issuedAt, auditIds, applicationCredentialId };
}
