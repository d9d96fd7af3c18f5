import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Clock } from '../../common/clock.js';
import { randomIds } from '../../common/ids.js';
import { loadConfig } from '../../platform/config/load-config.js';
import { mergeSchemas, platformOptions } from '../../platform/config/platform-options.js';
import type { Database } from '../../platform/db/database.js';
import { migrate } from '../../platform/db/migrate.js';
import { openDatabase } from '../../platform/db/open-database.js';
import { PolicyEnforcer } from '../../platform/policy/policy-enforcer.js';
import { Authenticator } from '../core/authenticator.js';
import { bootstrap } from '../core/bootstrap.js';
import { RoleResolver } from '../core/role-resolver.js';
import { TokenProvider } from '../core/token-provider.js';
import { UserService } from '../core/user-service.js';
import { setupKeyRepository } from '../crypto/key-repository.js';
import { TokenSealer } from '../crypto/token-sealer.js';
import { identityOptions, type IdentityConfig } from '../identity-options.js';
import { identityPolicies } from '../policies/identity-policies.js';
import { IdentityStore } from '../store/identity-store.js';
import { identityMigrations } from '../store/migrations.js';
import { createIdentityApp } from './identity-app.js';
import { SchemaCheck } from './schema-check.js';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  constructor(public t = Date.now()) {}
  now(): number {
    return this.t;
  }
}

/** An identity API over a temporary SQLite database, bootstrapped, for `inject` tests. */
export interface IdentityFixture {
  app: FastifyInstance;
  store: IdentityStore;
  clock: TestClock;
  adminPassword: string;
  /** Issues a token by password; returns the token and its body. */
  login(
    user: string,
    password: string,
    scope?: Record<string, unknown>,
  ): Promise<{ status: number; token: string; body: any }>;
  /** `inject` with a token. */
  call(
    method: string,
    url: string,
    token: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Builds the fixture; `config` overrides option values as the INI file would. */
export async function identityFixture(
  config: Record<string, Record<string, string>> = {},
): Promise<IdentityFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-identity-'));
  const cfg = loadConfig(mergeSchemas(platformOptions(), identityOptions()), {
    overrides: { DEFAULT: { state_path: dir }, ...config },
  }) as unknown as IdentityConfig;
  const db: Database = await openDatabase(`sqlite:///${join(dir, 'identity.db')}`);
  await migrate(db, identityMigrations);
  const clock = new TestClock();
  const store = new IdentityStore(db, clock);
  setupKeyRepository(cfg.fernet_tokens.key_repository);
  const resolver = new RoleResolver(store);
  const tokens = new TokenProvider(
    store,
    new TokenSealer(cfg.fernet_tokens.key_repository),
    resolver,
    clock,
    cfg.token.expiration,
  );
  const authenticator = new Authenticator(
    store,
    tokens,
    resolver,
    clock,
    {
      attempts: cfg.security_compliance.lockout_failure_attempts,
      durationS: cfg.security_compliance.lockout_duration,
    },
    cfg.token.allow_rescope_scoped_token,
  );
  const users = new UserService(store, randomIds);
  const adminPassword = 'admin-secret';
  await bootstrap(store, users, randomIds, {
    adminPassword,
    defaultDomainId: 'default',
    regionId: 'RegionOne',
    catalog: [{ type: 'identity', name: 'keystone', url: 'http://localhost:5000/v3' }],
  });
  const app = createIdentityApp(
    {
      config: cfg,
      store,
      tokens,
      authenticator,
      resolver,
      users,
      enforcer: new PolicyEnforcer(identityPolicies(), { enforceScope: true }),
      schemas: new SchemaCheck(),
      clock,
      ids: randomIds,
    },
    { logger: pino({ level: 'silent' }), bodyLimit: 114688 },
  );
  await app.ready();

  const call: IdentityFixture['call'] = async (method, url, token, payload, headers = {}) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: { ...(token ? { 'x-auth-token': token } : {}), ...headers },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return {
      status: res.statusCode,
      body: res.body ? JSON.parse(res.body) : undefined,
      headers: res.headers,
    };
  };
  return {
    app,
    store,
    clock,
    adminPassword,
    async login(user, password, scope = { project: { name: 'admin', domain: { id: 'default' } } }) {
      const res = await call('POST', '/v3/auth/tokens', '', {
        auth: {
          identity: {
            methods: ['password'],
            password: { user: { name: user, domain: { id: 'default' }, password } },
          },
          ...(scope ? { scope } : {}),
        },
      });
      return {
        status: res.status,
        token: String(res.headers['x-subject-token'] ?? ''),
        body: res.body,
      };
    },
    call,
    async close() {
      await app.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
