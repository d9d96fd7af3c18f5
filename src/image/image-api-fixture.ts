/**
 * An image API on a fresh database for HTTP tests through `inject`: noauth2 tokens (`admin`,
 * or `user:project` for a member of `project`), the real policy defaults, temp data dirs.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { systemClock } from '../common/clock.js';
import { randomIds } from '../common/ids.js';
import { NoAuth2Validator } from '../platform/auth/noauth2.js';
import type { Database } from '../platform/db/database.js';
import { createLogger } from '../platform/log/create-logger.js';
import { PolicyEnforcer } from '../platform/policy/policy-enforcer.js';
import { DEFAULT_CONTAINER_FORMATS, DEFAULT_DISK_FORMATS } from './image-options.js';
import { assembleImageService, type ImageRuntime, type ImageSettings } from './image-runtime.js';
import { IMAGE_POLICIES } from './service/image-policies.js';

/** A test image API and helpers around it. */
export interface ImageApiFixture extends ImageRuntime {
  dataDir: string;
  stagingDir: string;
  /** Sends a request with a noauth2 token (default `admin`); JSON bodies are encoded. */
  call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD',
    url: string,
    opts?: {
      token?: string | null;
      json?: unknown;
      body?: Buffer | string;
      headers?: Record<string, string>;
    },
  ): Promise<LightMyRequestResponse>;
  /** Creates an image as `token` and returns its id. */
  createImage(token: string, body?: Record<string, unknown>): Promise<string>;
  /** Files in the data dir (and its partial-write dir) and the staging dir. */
  storedFiles(): string[];
  close(): Promise<void>;
}

/** Builds the fixture; `settings` overrides the defaults (quotas, import methods, ...). */
export async function imageApiFixture(
  database: Database,
  settings: Partial<ImageSettings> = {},
): Promise<ImageApiFixture> {
  const root = mkdtempSync(join(tmpdir(), 'stratus-image-api-'));
  const dataDir = join(root, 'images');
  const stagingDir = join(root, 'staging');
  const runtime = assembleImageService({
    database,
    clock: systemClock,
    ids: randomIds,
    logger: createLogger({ service: 'image-test', host: 'test', silent: true }),
    enforcer: new PolicyEnforcer(IMAGE_POLICIES),
    validator: new NoAuth2Validator(),
    host: 'test-host',
    bodyLimit: 114688,
    identityUri: 'http://identity.test:5000',
    settings: {
      publicEndpoint: '',
      limitParamDefault: 25,
      apiLimitMax: 1000,
      limits: {
        imageCountTotal: -1,
        userStorageQuota: 0,
        imageSizeCap: 1099511627776,
        imageMemberQuota: 128,
        imagePropertyQuota: 128,
        imageTagQuota: 128,
      },
      enabledImportMethods: ['glance-direct'],
      diskFormats: [...DEFAULT_DISK_FORMATS],
      containerFormats: [...DEFAULT_CONTAINER_FORMATS],
      requireFormatMatch: true,
      dataDir,
      stagingDir,
      ...settings,
    },
  });
  await runtime.app.ready();
  const call: ImageApiFixture['call'] = (method, url, opts = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    const token = opts.token === undefined ? 'admin' : opts.token;
    if (token !== null) headers['x-auth-token'] = token;
    let payload: Buffer | string | undefined = opts.body;
    if (opts.json !== undefined) {
      payload = JSON.stringify(opts.json);
      headers['content-type'] ??= 'application/json';
    }
    return runtime.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
  };
  return {
    ...runtime,
    dataDir,
    stagingDir,
    call,
    async createImage(token, body = { disk_format: 'raw', container_format: 'bare' }) {
      const r = await call('POST', '/v2/images', { token, json: body });
      if (r.statusCode !== 201) throw new Error(`create failed: ${r.statusCode} ${r.body}`);
      return r.json().id as string;
    },
    storedFiles() {
      const list = (dir: string) => {
        try {
          return readdirSync(dir, { recursive: true }).map(String);
        } catch {
          return [];
        }
      };
      return [
        ...list(dataDir).filter((f) => f !== '.partial'),
        ...list(stagingDir)
          .filter((f) => f !== '.partial')
          .map((f) => `staging/${f}`),
      ];
    },
    async close() {
      await runtime.app.close();
      await runtime.data.drain();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
