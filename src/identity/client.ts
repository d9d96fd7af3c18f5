import type { Clock } from '../common/clock.js';
import { ServiceUnavailableError, UnauthorizedError } from '../common/errors.js';
import type { RequestContext, TokenValidator } from '../platform/auth/request-context.js';
import { CachingTokenValidator } from '../platform/auth/token-cache.js';

/**
 * The identity client other services use: a TokenValidator that asks the identity API, as
 * keystonemiddleware's auth_token does, for processes that do not run identity themselves.
 */

/** keystonemiddleware-style `[keystone_authtoken]` settings. */
export interface AuthTokenSettings {
  auth_url?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  project_name: string;
  user_domain_name: string;
  project_domain_name: string;
  /** Seconds a validation result is reused (0: never). */
  token_cache_time: number;
  /** Seconds to wait for the identity API. */
  http_connect_timeout: number;
}

/** What a validated token grants. */
export type TokenGrant = Omit<RequestContext, 'requestId'>;

/** Turns a keystone v3 token body into what a request context carries. */
export function grantFromTokenBody(token: string, body: unknown): TokenGrant {
  const t = (body as { token?: Record<string, any> } | null)?.token;
  if (!t?.user?.id) throw new UnauthorizedError();
  return {
    authToken: token,
    userId: t.user.id,
    userName: t.user.name ?? null,
    userDomainId: t.user.domain?.id ?? null,
    projectId: t.project?.id ?? null,
    projectName: t.project?.name ?? null,
    projectDomainId: t.project?.domain?.id ?? null,
    domainId: t.domain?.id ?? null,
    systemScope: t.system?.all ? 'all' : null,
    roles: Array.isArray(t.roles) ? t.roles.map((r: { name: string }) => r.name) : [],
    applicationCredentialId: t.application_credential?.id ?? null,
    expiresAt: typeof t.expires_at === 'string' ? t.expires_at : null,
  };
}

/** `http://host:5000` or `http://host:5000/v3/` → `http://host:5000/v3`. */
function v3Url(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  return base.endsWith('/v3') ? base : `${base}/v3`;
}

/**
 * Validates tokens through the identity API with a service user's token (GET /v3/auth/tokens
 * with X-Subject-Token). remoteTokenValidator adds keystonemiddleware's cache.
 */
export class RemoteTokenValidator implements TokenValidator {
  private serviceToken: { id: string; until: number } | undefined;
  private readonly url: string;

  constructor(
    private readonly settings: AuthTokenSettings,
    private readonly clock: Clock,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    if (!settings.auth_url || !settings.username || !settings.password) {
      throw new ServiceUnavailableError(
        '[keystone_authtoken] auth_url, username and password are needed to validate tokens ' +
          'with an identity service in another process.',
      );
    }
    this.url = v3Url(settings.auth_url);
  }

  /** Asks the identity API whether `token` is valid. */
  async validate(token: string): Promise<TokenGrant> {
    const grant = await this.ask(token);
    if (!grant) throw new UnauthorizedError();
    return grant;
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchFn(`${this.url}${path}`, {
        ...init,
        signal: AbortSignal.timeout(this.settings.http_connect_timeout * 1000),
      });
    } catch (err) {
      throw new ServiceUnavailableError(`The identity service at ${this.url} did not answer.`, {
        cause: err,
      });
    }
  }

  /** The service user's token, renewed a minute before it expires. */
  private async serviceTokenId(): Promise<string> {
    const now = this.clock.now();
    if (this.serviceToken && this.serviceToken.until > now) return this.serviceToken.id;
    const s = this.settings;
    const res = await this.request('/auth/tokens?nocatalog', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: {
            methods: ['password'],
            password: {
              user: {
                name: s.username,
                domain: { name: s.user_domain_name },
                password: s.password,
              },
            },
          },
          scope: { project: { name: s.project_name, domain: { name: s.project_domain_name } } },
        },
      }),
    });
    const id = res.headers.get('x-subject-token');
    if (res.status !== 201 || !id) {
      throw new ServiceUnavailableError(
        `The service user in [keystone_authtoken] could not log in to ${this.url} (HTTP ${res.status}).`,
      );
    }
    const body = (await res.json()) as { token?: { expires_at?: string } };
    const expires = Date.parse(body.token?.expires_at ?? '');
    this.serviceToken = { id, until: (Number.isNaN(expires) ? now + 300_000 : expires) - 60_000 };
    return id;
  }

  /** Asks the identity API; null when the token is not valid. */
  private async ask(token: string, retried = false): Promise<TokenGrant | null> {
    const res = await this.request('/auth/tokens?nocatalog', {
      method: 'GET',
      headers: { 'x-auth-token': await this.serviceTokenId(), 'x-subject-token': token },
    });
    if (res.status === 200) return grantFromTokenBody(token, await res.json());
    if (res.status === 404) return null;
    if (res.status === 401 && !retried) {
      // Our own token was refused (revoked, keys rotated away): log in again once.
      this.serviceToken = undefined;
      return this.ask(token, true);
    }
    throw new ServiceUnavailableError(
      `The identity service could not validate a token (HTTP ${res.status}).`,
    );
  }
}

/**
 * The validator of a process without a co-located identity service: the identity API, each
 * answer (valid or not) reused for `token_cache_time` seconds and never past the token's
 * expiry, so a revoked token may pass for up to that long here, as with keystonemiddleware.
 */
export function remoteTokenValidator(
  settings: AuthTokenSettings,
  clock: Clock,
  fetchFn: typeof fetch = fetch,
): TokenValidator {
  return new CachingTokenValidator(new RemoteTokenValidator(settings, clock, fetchFn), {
    ttlMs: settings.token_cache_time * 1000,
    clock,
  });
}
