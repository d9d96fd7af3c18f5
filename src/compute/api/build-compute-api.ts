import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import type { TokenValidator } from '../../platform/auth/request-context.js';
import type { Database } from '../../platform/db/database.js';
import type { Metrics } from '../../platform/metrics/metrics.js';
import type { PolicyEnforcer } from '../../platform/policy/policy-enforcer.js';
import type { PolicyRule } from '../../platform/policy/policy-rule.js';
import type { ApiConfig } from './api-options.js';
import { createComputeApp } from './http/compute-app.js';
import { allPolicies } from './policies/all-policies.js';
import { allRoutes } from './routes/all-routes.js';
import type { ApiDeps } from './routing/api-deps.js';
import { FlavorStore } from './store/flavor-store.js';
import { RequestValidator } from './validation/request-validator.js';

/** What the compute API is assembled from; the service module and tests both provide it. */
export interface ComputeApiParts {
  config: ApiConfig;
  /** The database of `[api_database] connection`, migrated. */
  apiDb: Database;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  metrics?: Metrics;
  auth: TokenValidator;
  createEnforcer(defaults: readonly PolicyRule[]): PolicyEnforcer;
  /** The identity endpoint, named in 401 responses. */
  identityUrl?: string | undefined;
}

/** Builds the stores and the HTTP app of the compute API (not yet listening). */
export function buildComputeApi(parts: ComputeApiParts): FastifyInstance {
  const { config } = parts;
  const deps: ApiDeps = {
    clock: parts.clock,
    ids: parts.ids,
    maxLimit: config.api.max_limit,
    flavors: new FlavorStore(parts.apiDb, parts.clock),
  };
  return createComputeApp({
    logger: parts.logger,
    ...(parts.metrics ? { metrics: parts.metrics } : {}),
    bodyLimit: config.oslo_middleware.max_request_body_size,
    auth: parts.auth,
    enforcer: parts.createEnforcer(allPolicies()),
    validator: new RequestValidator(),
    routes: allRoutes(deps),
    maxLimit: config.api.max_limit,
    linkPrefix: config.api.compute_link_prefix,
    identityUrl: parts.identityUrl,
  });
}
