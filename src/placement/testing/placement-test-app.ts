import type { FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../../common/clock.js';
import { randomIds } from '../../common/ids.js';
import { NoAuth2Validator } from '../../platform/auth/noauth2.js';
import type { RequestContext, TokenValidator } from '../../platform/auth/request-context.js';
import type { Database } from '../../platform/db/database.js';
import type { DialectContext } from '../../platform/db/dialect-context.js';
import { createLogger } from '../../platform/log/create-logger.js';
import { PolicyEnforcer } from '../../platform/policy/policy-enforcer.js';
import { buildPlacementApp } from '../api/placement-app.js';
import { placementPolicyRules } from '../api/policies.js';
import { CandidateService } from '../candidates/candidate-service.js';
import { placementMigrations } from '../db/migrations.js';
import type { PlacementTables } from '../db/tables.js';
import { placementOptions } from '../placement-options.js';
import { syncStandardCatalog } from '../placement-module.js';
import type { PlacementDeps } from '../service/placement-deps.js';

/** A response as tests see it. */
export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
}

/** Options of one test request. */
export interface TestRequestOptions {
  body?: unknown;
  /** `placement X.Y` header value; omitted: the minimum microversion. */
  version?: string;
  token?: string | null;
  headers?: Record<string, string>;
}

/** A placement API on a fresh database, driven through inject. */
export interface PlacementTestApp {
  app: FastifyInstance;
  deps: PlacementDeps;
  candidates: CandidateService;
  request(method: string, url: string, opts?: TestRequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

/** noauth2, plus `service` (the service role) and `reader:<project>` tokens for policy tests. */
class TestValidator implements TokenValidator {
  private readonly noauth = new NoAuth2Validator();

  async validate(token: string): Promise<Omit<RequestContext, 'requestId'>> {
    const ctx = await this.noauth.validate(token);
    if (token === 'service') return { ...ctx, roles: ['service'] };
    if (token.startsWith('reader:')) return { ...ctx, roles: ['reader'] };
    return ctx;
  }
}

/** Default config values of the [placement] section. */
export function defaultPlacementConfig(): PlacementDeps['config'] {
  const section = placementOptions().placement;
  return Object.fromEntries(
    Object.entries(section).map(([k, opt]) => [k, opt.default]),
  ) as PlacementDeps['config'];
}

/** Builds the deps of a placement service on an open, migrated database. */
export function testDeps(
  database: Database<PlacementTables>,
  overrides: Partial<PlacementDeps['config']> = {},
  clock: Clock = systemClock,
): PlacementDeps {
  return {
    database,
    clock,
    ids: randomIds,
    logger: createLogger({ service: 'placement-test', host: 'test', silent: true }),
    config: { ...defaultPlacementConfig(), ...overrides },
  };
}

/** Opens a fresh database of the dialect and serves placement on it. */
export async function startPlacementTestApp(
  dialect: DialectContext,
  opts: { url?: string; config?: Partial<PlacementDeps['config']> } = {},
): Promise<PlacementTestApp> {
  const database = (await dialect.open({
    migrations: [placementMigrations],
    ...(opts.url ? { url: opts.url } : {}),
  })) as Database<PlacementTables>;
  const deps = testDeps(database, opts.config);
  await syncStandardCatalog(deps);
  const candidates = new CandidateService(deps);
  const app = buildPlacementApp({
    deps,
    logger: deps.logger,
    validator: new TestValidator(),
    enforcer: new PolicyEnforcer(placementPolicyRules()),
    candidates,
    bodyLimit: 1024 * 1024,
    identityUrl: 'http://identity.test/v3',
  });
  return {
    app,
    deps,
    candidates,
    async request(method, url, o = {}) {
      const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
      if (o.token !== null) headers['x-auth-token'] = o.token ?? 'admin';
      if (o.version) headers['openstack-api-version'] = `placement ${o.version}`;
      let payload: string | undefined;
      if (o.body !== undefined) {
        payload = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      let json: any;
      try {
        json = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, headers: res.headers as any, body: res.body, json };
    },
    close: () => app.close(),
  };
}
