/**
 * Who is calling and with what authority: what a validated token says, as keystonemiddleware
 * hands it to upstream services, plus the request id. Policy checks read these fields.
 */
export interface RequestContext {
  requestId: string;
  /** The token itself, for calls made on the caller's behalf (e.g. compute → image). */
  authToken?: string;
  userId: string | null;
  userName?: string | null;
  userDomainId?: string | null;
  /** Project scope; null for domain-, system- or unscoped tokens. */
  projectId: string | null;
  projectName?: string | null;
  projectDomainId?: string | null;
  /** Domain scope; null unless the token is domain-scoped. */
  domainId?: string | null;
  /** `all` for a system-scoped token, else null. */
  systemScope: string | null;
  /** Role names, implied roles already expanded (admin ⇒ member ⇒ reader). */
  roles: string[];
  /** Set when the token was made from an application credential. */
  applicationCredentialId?: string | null;
  /** When the token expires (ISO 8601), if known. */
  expiresAt?: string | null;
}

/** True when the context has the admin role (what upstream's `is_admin` means). */
export function isAdmin(ctx: RequestContext): boolean {
  return ctx.roles.includes('admin');
}

/** Validates a token; the identity service (or noauth2) implements it. */
export interface TokenValidator {
  /**
   * Returns the context a token grants, without requestId, or throws UnauthorizedError when
   * the token is invalid, expired or revoked.
   */
  validate(token: string): Promise<Omit<RequestContext, 'requestId'>>;
}
