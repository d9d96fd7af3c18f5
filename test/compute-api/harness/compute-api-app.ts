/**
 * A compute API on Fastify's `inject`, over a fresh migrated database, with noauth2 tokens
 * (`admin`, or `user:project` for a member of `project`). For route tests:
 *
 *   const api = await startComputeApi();
 *   after(() => api.close());
 *   const r = await api.request('GET', '/v2.1/flavors', { version: '2.55' });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bus } from '../../../src/platform/bus/bus.js';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Clock } from '../../../src/common/clock.js';
import { randomIds, type IdGenerator } from '../../../src/common/ids.js';
import { apiDbMigrations } from '../../../src/compute/api-db-migrations.js';
import { cellMigrations } from '../../../src/compute/db/cell-migrations.js';
import { apiModule } from '../../../src/compute/api/api-module.js';
import type { ApiConfig } from '../../../src/compute/api/api-options.js';
import type { ProviderAggregates } from '../../../src/compute/api/aggregates/placement-mirror.js';
import type { ProviderTreeDeletion } from '../../../src/compute/api/hosts/node-providers.js';
import { buildComputeApi } from '../../../src/compute/api/build-compute-api.js';
import { NoAuth2Validator } from '../../../src/platform/auth/noauth2.js';
import { loadConfig } from '../../../src/platform/config/load-config.js';
import { mergeSchemas, platformOptions } from '../../../src/platform/config/platform-options.js';
import type { Database } from '../../../src/platform/db/database.js';
import { migrate } from '../../../src/platform/db/migrate.js';
import { openDatabase } from '../../../src/platform/db/open-database.js';
import { PolicyEnforcer } from '../../../src/platform/policy/policy-enforcer.js';
import { serviceRegistryMigrations } from '../../../src/platform/service/service-registry.js';

/** A test clock that only moves when told. */
export class TestClock implements Clock {
  constructor(public ms = Date.parse('2026-01-02T03:04:05.000Z')) {}
  now(): number {
    return this.ms;
  }
  /** Moves time forward. */
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** One response, parsed. */
export interface ApiResponse {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** What a test request may set. */
export interface RequestOptions {
  /** noauth2 token; default `admin`. Null sends none. */
  token?: string | null;
  /** Microversion for `OpenStack-API-Version: compute X`. */
  version?: string;
  body?: unknown;
  /** Raw body text (sent as is, with the given content type or none). */
  raw?: string;
  headers?: Record<string, string>;
}

/** A running test API. */
export interface ComputeApiHandle {
  app: FastifyInstance;
  apiDb: Database;
  clock: TestClock;
  config: ApiConfig;
  request(method: string, url: string, opts?: RequestOptions): Promise<ApiResponse>;
  close(): Promise<void>;
}

/** What a test chooses about the API. */
export interface StartOptions {
  /** An already opened database to use (e.g. PostgreSQL from forEachDialect); migrated here. */
  database?: Database;
  /** Config overrides: section → key → value. */
  config?: Record<string, Record<string, string>>;
  ids?: IdGenerator;
  /** The image service's endpoint, for the image proxy routes. */
  imageEndpoint?: string;
  /** The bus to compute agents (hypervisor uptime, image caching); none by default. */
  bus?: Bus;
  /** Placement, for mirroring aggregates; none by default. */
  placement?: ProviderAggregates & ProviderTreeDeletion;
}

/** The compute API's config with defaults and the given overrides. */
export function testConfig(overrides: Record<string, Record<string, string>> = {}): ApiConfig {
  const schema = mergeSchemas(platformOptions(), apiModule.options);
  return loadConfig(schema, { files: [], env: {}, overrides }) as unknown as ApiConfig;
}

/** Starts a compute API over a fresh SQLite database (or the one given). */
export async function startComputeApi(opts: StartOptions = {}): Promise<ComputeApiHandle> {
  let dir: string | undefined;
  let db = opts.database;
  if (!db) {
    dir = mkdtempSync(join(tmpdir(), 'stratus-compute-api-'));
    db = await openDatabase(`sqlite:///${join(dir, 'api.sqlite')}`);
  }
  // One database holds the API tables and the cell tables here, as in `stratus all`.
  for (const set of [apiDbMigrations, serviceRegistryMigrations, cellMigrations]) {
    await migrate(db, set);
  }
  const clock = new TestClock();
  const config = testConfig(opts.config);
  const app = buildComputeApi({
    config,
    apiDb: db,
    cellDb: db,
    clock,
    ids: opts.ids ?? randomIds,
    logger: pino({ level: 'silent' }),
    auth: new NoAuth2Validator(),
    ...(opts.imageEndpoint ? { imageEndpoint: async () => opts.imageEndpoint! } : {}),
    ...(opts.bus ? { bus: opts.bus } : {}),
    ...(opts.placement ? { placement: opts.placement } : {}),
    createEnforcer: (defaults) => new PolicyEnforcer(defaults, { enforceScope: true }),
  });
  await app.ready();
  const database = db;
  return {
    app,
    apiDb: database,
    clock,
    config,
    async request(method, url, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      const token = o.token === undefined ? 'admin' : o.token;
      if (token !== null) headers['x-auth-token'] = token;
      if (o.version) headers['openstack-api-version'] = `compute ${o.version}`;
      let payload: string | undefined;
      if (o.raw !== undefined) payload = o.raw;
      else if (o.body !== undefined) {
        payload = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      let body: unknown = undefined;
      try {
        body = res.body === '' ? undefined : JSON.parse(res.body);
      } catch {
        body = res.body;
      }
      return {
        status: res.statusCode,
        body,
        headers: res.headers as ApiResponse['headers'],
        text: res.body,
      };
    },
    async close() {
      await app.close();
      if (!opts.database) await database.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
