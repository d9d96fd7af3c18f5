import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import { ConfigError } from '../common/errors.js';
import type { IdGenerator } from '../common/ids.js';
import type { TokenValidator } from '../platform/auth/request-context.js';
import type { ConfigValues } from '../platform/config/options.js';
import type { Database } from '../platform/db/database.js';
import type { Metrics } from '../platform/metrics/metrics.js';
import type { PolicyEnforcer } from '../platform/policy/policy-enforcer.js';
import { createImageApp } from './api/image-app.js';
import { FileStore } from './backend/file-store.js';
import { ImageRepo } from './db/image-repo.js';
import { MemberRepo } from './db/member-repo.js';
import { UsageRepo } from './db/usage-repo.js';
import type { ImageOptions } from './image-options.js';
import { ImageAuthorizer } from './service/image-authorizer.js';
import { ImageDataService } from './service/image-data-service.js';
import { ImageQuotas, parseStorageQuota, type QuotaLimits } from './service/image-quotas.js';
import { ImageService } from './service/image-service.js';
import { MemberService } from './service/member-service.js';

/** The image service's settings, from its config sections. */
export interface ImageSettings {
  publicEndpoint: string;
  limitParamDefault: number;
  apiLimitMax: number;
  limits: QuotaLimits;
  enabledImportMethods: string[];
  diskFormats: string[];
  containerFormats: string[];
  requireFormatMatch: boolean;
  dataDir: string;
  stagingDir: string;
}

/** Reads and checks the image settings; bad values are ConfigErrors at start-up. */
export function imageSettings(config: ConfigValues<ImageOptions>): ImageSettings {
  const i = config.image;
  const unknown = i.enabled_import_methods.filter((m) => m !== 'glance-direct');
  if (unknown.length > 0) {
    throw new ConfigError(
      `[image] enabled_import_methods: ${unknown.join(', ')} not available (only glance-direct)`,
    );
  }
  if (!i.node_staging_uri.startsWith('file://')) {
    throw new ConfigError(`[image] node_staging_uri: '${i.node_staging_uri}' is not a file:// URI`);
  }
  return {
    publicEndpoint: i.public_endpoint,
    limitParamDefault: i.limit_param_default,
    apiLimitMax: i.api_limit_max,
    limits: {
      imageCountTotal: i.image_count_total,
      userStorageQuota: parseStorageQuota(i.user_storage_quota),
      imageSizeCap: i.image_size_cap,
      imageMemberQuota: i.image_member_quota,
      imagePropertyQuota: i.image_property_quota,
      imageTagQuota: i.image_tag_quota,
    },
    enabledImportMethods: i.enabled_import_methods,
    diskFormats: config.image_format.disk_formats,
    containerFormats: config.image_format.container_formats,
    requireFormatMatch: config.image_format.require_image_format_match,
    dataDir: config.glance_store.filesystem_store_datadir,
    // As Glance: the path is what follows `file://`.
    stagingDir: resolve(i.node_staging_uri.slice('file://'.length)),
  };
}

/** What assembling the image service needs from its host process (or a test). */
export interface ImageRuntimeOptions {
  database: Database;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  metrics?: Metrics;
  enforcer: PolicyEnforcer;
  validator: TokenValidator;
  /** This host's name (recorded on in-flight uploads for crash recovery). */
  host: string;
  bodyLimit: number;
  identityUri?: string;
  settings: ImageSettings;
}

/** The assembled image service. */
export interface ImageRuntime {
  app: FastifyInstance;
  images: ImageService;
  data: ImageDataService;
  repo: ImageRepo;
}

/** Wires repositories, stores, services and the HTTP app together (no listening yet). */
export function assembleImageService(o: ImageRuntimeOptions): ImageRuntime {
  const s = o.settings;
  const repo = new ImageRepo(o.database, o.clock);
  const memberRepo = new MemberRepo(o.database, o.clock);
  const usageRepo = new UsageRepo(o.database);
  const authz = new ImageAuthorizer(o.enforcer);
  const quotas = new ImageQuotas(s.limits, usageRepo);
  const store = new FileStore(s.dataDir, o.logger);
  const staging = new FileStore(s.stagingDir, o.logger);
  const images = new ImageService({
    database: o.database,
    repo,
    members: memberRepo,
    authz,
    quotas,
    store,
    staging,
    ids: o.ids,
    logger: o.logger,
    limitParamDefault: s.limitParamDefault,
    apiLimitMax: s.apiLimitMax,
  });
  const data = new ImageDataService({
    images,
    repo,
    authz,
    quotas,
    store,
    staging,
    host: o.host,
    requireFormatMatch: s.requireFormatMatch,
    enabledImportMethods: s.enabledImportMethods,
    logger: o.logger,
  });
  const members = new MemberService(images, memberRepo, authz, quotas);
  const usage = async (project: string | null) => {
    const out: Record<string, { usage: number; limit: number }> = {};
    if (project === null) return out;
    if (s.limits.imageCountTotal >= 0) {
      out.image_count_total = {
        usage: await usageRepo.imageCount(project),
        limit: s.limits.imageCountTotal,
      };
    }
    if (s.limits.userStorageQuota > 0) {
      const MiB = 1024 * 1024;
      out.image_size_total = {
        usage: Math.floor((await usageRepo.storedBytes(project)) / MiB),
        limit: Math.floor(s.limits.userStorageQuota / MiB),
      };
    }
    return out;
  };
  const app = createImageApp({
    logger: o.logger,
    ...(o.metrics ? { metrics: o.metrics } : {}),
    bodyLimit: o.bodyLimit,
    validator: o.validator,
    ...(o.identityUri ? { identityUri: o.identityUri } : {}),
    publicEndpoint: s.publicEndpoint,
    diskFormats: s.diskFormats,
    containerFormats: s.containerFormats,
    enabledImportMethods: s.enabledImportMethods,
    images,
    data,
    members,
    quotas,
    usage,
  });
  return { app, images, data, repo };
}
