import type { IncomingHttpHeaders } from 'node:http';
import { ServiceUnavailableError, StratusError, UnauthorizedError } from '../../common/errors.js';
import { withDeadline } from '../../common/deadline.js';
import type { Clock } from '../../common/clock.js';
import { jsonRequest } from '../http/json-request.js';

/** Keystone password credentials of a service user (nova.conf's `[service_user]` shape). */
export interface ServiceCredentials {
  authUrl: string;
  username: string;
  password: string;
  projectName: string;
  userDomainName: string;
  projectDomainName: string;
}

/** How a session authenticates and finds endpoints. */
export interface ServiceSessionOptions {
  /**
   * Password credentials, looked up when first needed (an embedded identity service provides
   * them once it has started); without them the session uses `staticToken` (noauth2).
   */
  credentials: () => ServiceCredentials | undefined;
  /** The token to send when there are no credentials (noauth2: `admin`). */
  staticToken?: string;
  /** Endpoints by service type that win over the catalog (`endpoint_override`). */
  endpointOverrides: Record<string, string>;
  /** Endpoints by service type known locally, used when the catalog has none. */
  fallbackEndpoints: Record<string, string>;
  interface: 'public' | 'internal' | 'admin';
  regionName?: string;
  clock: Clock;
  /** Deadline of each HTTP request, in ms. */
  timeoutMs: number;
}

/** The answer to one request. */
export interface ServiceResponse<T = any> {
  status: number;
  body: T;
  headers: IncomingHttpHeaders;
}

interface CachedToken {
  id: string;
  expiresAt: number;
  catalog: { type: string; endpoints: { interface: string; region_id?: string; url: string }[] }[];
}

/**
 * keystoneauth's Session for service-to-service calls (compute to Placement, image, identity):
 * gets a token with the service user's password and keeps it until shortly before it expires,
 * finds endpoints in the catalog (or overrides), sends requests with a deadline, and retries once
 * with a fresh token on a 401.
 */
export class ServiceSession {
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;

  constructor(private readonly opts: ServiceSessionOptions) {}

  private async authenticate(): Promise<CachedToken> {
    const c = this.opts.credentials();
    if (!c) throw new ServiceUnavailableError('No service credentials are configured.');
    const res = await withDeadline('identity authentication', this.opts.timeoutMs, (signal) =>
      fetch(`${c.authUrl.replace(/\/$/, '')}/auth/tokens`, {
        method: 'POST',
        signal,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          auth: {
            identity: {
              methods: ['password'],
              password: {
                user: {
                  name: c.username,
                  password: c.password,
                  domain: { name: c.userDomainName },
                },
              },
            },
            scope: { project: { name: c.projectName, domain: { name: c.projectDomainName } } },
          },
        }),
      }),
    ).catch((err: unknown) => {
      if (err instanceof StratusError) throw err;
      throw new ServiceUnavailableError(
        `Identity at ${c.authUrl} is unreachable: ${(err as Error).message}`,
      );
    });
    if (res.status === 401)
      throw new UnauthorizedError(`The service user ${c.username} could not authenticate.`);
    if (res.status !== 201)
      throw new ServiceUnavailableError(
        `Identity answered ${res.status} to the service user's login.`,
      );
    const body = (await res.json()) as {
      token: { expires_at: string; catalog?: CachedToken['catalog'] };
    };
    const id = res.headers.get('x-subject-token');
    if (!id) throw new ServiceUnavailableError('Identity returned no X-Subject-Token.');
    return { id, expiresAt: Date.parse(body.token.expires_at), catalog: body.token.catalog ?? [] };
  }

  private async current(): Promise<CachedToken | undefined> {
    if (!this.opts.credentials()) return undefined;
    // Renew a minute early so a token never expires in flight.
    if (this.cached && this.cached.expiresAt - 60_000 > this.opts.clock.now()) return this.cached;
    this.pending ??= this.authenticate().finally(() => (this.pending = undefined));
    this.cached = await this.pending;
    return this.cached;
  }

  /** A valid token for this service user. */
  async token(): Promise<string> {
    const t = await this.current();
    if (t) return t.id;
    if (this.opts.staticToken !== undefined) return this.opts.staticToken;
    throw new ServiceUnavailableError('No service credentials are configured.');
  }

  /** The base URL of a service type, from overrides, the catalog, or local knowledge. */
  async endpoint(serviceType: string): Promise<string> {
    const override = this.opts.endpointOverrides[serviceType];
    if (override) return override.replace(/\/$/, '');
    const t = await this.current();
    const svc = t?.catalog.find((s) => s.type === serviceType);
    const ep = svc?.endpoints.find(
      (e) =>
        e.interface === this.opts.interface &&
        (!this.opts.regionName || e.region_id === this.opts.regionName),
    );
    if (ep) return ep.url.replace(/\/$/, '');
    const local = this.opts.fallbackEndpoints[serviceType];
    if (local) return local.replace(/\/$/, '');
    throw new ServiceUnavailableError(`No ${serviceType} endpoint in the service catalog.`);
  }

  /** Sends a JSON request to a service; the body of the answer is parsed JSON (or null). */
  async request<T = any>(
    serviceType: string,
    method: string,
    path: string,
    opts: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ServiceResponse<T>> {
    const base = await this.endpoint(serviceType);
    const send = async (token: string) =>
      withDeadline(`${method} ${serviceType}${path}`, this.opts.timeoutMs, (signal) =>
        jsonRequest(`${base}${path}`, {
          method,
          signal,
          headers: {
            'x-auth-token': token,
            accept: 'application/json',
            ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...opts.headers,
          },
          body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
        }),
      ).catch((err: unknown) => {
        if (err instanceof StratusError) throw err;
        throw new ServiceUnavailableError(
          `${serviceType} at ${base} is unreachable: ${(err as Error).message}`,
        );
      });
    let res = await send(await this.token());
    if (res.status === 401 && this.opts.credentials()) {
      this.cached = undefined;
      res = await send(await this.token());
    }
    const text = res.text;
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: res.status, body: body as T, headers: res.headers };
  }
}
