import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../common/clock.js';
import { randomIds, type IdGenerator } from '../common/ids.js';
import type { Bus, Consumer } from '../platform/bus/bus.js';
import { createBus } from '../platform/bus/create-bus.js';
import type { Database, MigrationSet } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { openDatabase } from '../platform/db/open-database.js';
import { createLogger } from '../platform/log/create-logger.js';
import { Metrics } from '../platform/metrics/metrics.js';
import { PeriodicTasks } from '../platform/service/periodic-tasks.js';
import type {
  RunningService,
  ServiceContext,
  ServiceModule,
} from '../platform/service/service-module.js';
import {
  SERVICE_REGISTRY_TOPIC,
  ServiceRegistry,
  serviceRegistryMigrations,
  type Heartbeat,
} from '../platform/service/service-registry.js';
import type { loadProcessConfig } from './process-config.js';
import { resolve } from 'node:path';
import { NoAuth2Validator } from '../platform/auth/noauth2.js';
import { ServiceSession, type ServiceCredentials } from '../platform/auth/service-session.js';
import type { CatalogEntry } from '../platform/service/service-module.js';
import type { TokenValidator } from '../platform/auth/request-context.js';
import { ServiceUnavailableError } from '../common/errors.js';
import { PolicyEnforcer, loadPolicyFile } from '../platform/policy/policy-enforcer.js';
import type { PolicyRule } from '../platform/policy/policy-rule.js';

/**
 * The session services call each other with: the `[service_user]` credentials when a password
 * is configured, else `fallback` (in the embedded shape the co-located identity service's
 * bootstrap admin); with noauth2 the `admin` token. Endpoints come from overrides, the catalog,
 * or this process. `stratus manage` commands that call services use it too.
 */
export function processServiceSession(
  config: ProcessConfig,
  fallback: () => ServiceCredentials | undefined,
  catalog: CatalogEntry[],
  clock: Clock,
): ServiceSession {
  const su = config.service_user;
  const configured: ServiceCredentials | undefined =
    su.password && su.auth_url
      ? {
          authUrl: su.auth_url,
          username: su.username,
          password: su.password,
          projectName: su.project_name,
          userDomainName: su.user_domain_name,
          projectDomainName: su.project_domain_name,
        }
      : undefined;
  const noauth = config.api.auth_strategy === 'noauth2';
  const overrides: Record<string, string> = {};
  if (config.placement.endpoint_override) overrides.placement = config.placement.endpoint_override;
  if (config.glance.endpoint_override) overrides.image = config.glance.endpoint_override;
  return new ServiceSession({
    credentials: () => (noauth ? undefined : (configured ?? fallback())),
    ...(noauth ? { staticToken: 'admin' } : {}),
    endpointOverrides: overrides,
    fallbackEndpoints: Object.fromEntries(catalog.map((c) => [c.type, c.url])),
    interface: su.valid_interfaces,
    ...(su.region_name ? { regionName: su.region_name } : {}),
    clock,
    timeoutMs: su.timeout * 1000,
  });
}

/** The key under which a co-located identity service publishes its TokenValidator. */
export const LOCAL_TOKEN_VALIDATOR = 'identity';

/**
 * Picks how this process validates tokens: noauth2 (with a warning, as upstream), the identity
 * service in this process, or the identity API elsewhere. Chosen per call because identity may
 * start after the process is assembled.
 */
function processValidator(
  strategy: 'keystone' | 'noauth2',
  local: Map<string, unknown>,
  remote: (() => TokenValidator) | undefined,
  logger: Logger,
): TokenValidator {
  if (strategy === 'noauth2') {
    logger.warn(
      '[api] auth_strategy = noauth2: tokens are trusted as given; never use this in production',
    );
    return new NoAuth2Validator();
  }
  let remoteValidator: TokenValidator | undefined;
  return {
    validate(token) {
      const inProcess = local.get(LOCAL_TOKEN_VALIDATOR) as
        { tokenValidator?: TokenValidator } | undefined;
      if (inProcess?.tokenValidator) return inProcess.tokenValidator.validate(token);
      remoteValidator ??= remote?.();
      if (!remoteValidator) {
        return Promise.reject(
          new ServiceUnavailableError('No identity service is configured to validate tokens.'),
        );
      }
      return remoteValidator.validate(token);
    },
  };
}

type ProcessConfig = ReturnType<typeof loadProcessConfig>;

/** How a process is put together. */
export interface ProcessOptions {
  /** `stratus-all`, `stratus-identity`, ... for logs. */
  name: string;
  config: ProcessConfig;
  modules: readonly ServiceModule<any>[];
  /** Every module this binary has (default: `modules`); their catalog entries go to identity. */
  allModules?: readonly ServiceModule<any>[];
  /**
   * Validates tokens when identity runs elsewhere (`[api] auth_strategy = keystone` without a
   * co-located identity service); the identity client provides it.
   */
  remoteValidator?: () => TokenValidator;
  /** Whether this process records heartbeats (the conductor's job; `all` does it too). */
  serveRegistry: boolean;
  /** The embedded shape (`stratus all`): services may do first-run conveniences. */
  embedded?: boolean;
  logger?: Logger;
  clock?: Clock;
  ids?: IdGenerator;
}

/** A running Stratus process. */
export interface StratusProcess {
  logger: Logger;
  bus: Bus;
  metrics: Metrics;
  services: { module: ServiceModule<any>; running: RunningService }[];
  /** Opens (or reuses) a database, migrated with the sets the process knows for that URL. */
  database(url: string): Promise<Database>;
  /** Stops every service, then the bus and the databases; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a process: logger, metrics, bus, databases (migrated), the services, and their
 * heartbeats. Embedded (`stratus all`) and distributed processes run exactly this code.
 */
export async function startProcess(opts: ProcessOptions): Promise<StratusProcess> {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const ids = opts.ids ?? randomIds;
  mkdirSync(config.DEFAULT.state_path, { recursive: true });
  const logger =
    opts.logger ??
    createLogger({
      service: opts.name,
      host: config.DEFAULT.host,
      debug: config.DEFAULT.debug,
      file: config.DEFAULT.log_file,
    });
  const metrics = new Metrics();
  const bus = await createBus(config.DEFAULT.transport_url, {
    rpcResponseTimeoutMs: config.DEFAULT.rpc_response_timeout * 1000,
    controlExchange: config.DEFAULT.control_exchange,
    heartbeatS: config.oslo_messaging_rabbit.heartbeat_timeout_threshold,
    reconnectBaseMs: Math.max(1, config.oslo_messaging_rabbit.rabbit_retry_interval * 1000),
    reconnectCapMs: config.oslo_messaging_rabbit.rabbit_interval_max * 1000,
    logger,
    observer: { onCall: (t, m, ms, ok) => metrics.observeBusCall(t, m, ms, ok) },
  });

  // Every migration set, by the database URL it lives in.
  const setsByUrl = new Map<string, MigrationSet[]>();
  const addSet = (url: string, set: MigrationSet) => {
    const sets = setsByUrl.get(url) ?? [];
    if (!sets.some((s) => s.service === set.service)) sets.push(set);
    setsByUrl.set(url, sets);
  };
  if (opts.serveRegistry) addSet(config.database.connection, serviceRegistryMigrations);
  for (const m of opts.modules) for (const { url, set } of m.migrations(config)) addSet(url, set);

  const databases = new Map<string, Promise<Database>>();
  const database = (url: string): Promise<Database> => {
    let db = databases.get(url);
    if (!db) {
      db = (async () => {
        const opened = await openDatabase(url, {
          maxPoolSize: config.database.max_pool_size,
          connectTimeoutMs: config.database.pool_timeout * 1000,
          lockTimeoutMs: config.database.lock_timeout * 1000,
          applicationName: opts.name,
        });
        for (const set of setsByUrl.get(url) ?? []) await migrate(opened, set);
        metrics.watchPool({ name: opened.safeUrl, poolStats: () => opened.poolStats?.() });
        return opened;
      })();
      databases.set(url, db);
    }
    return db;
  };

  const allModules = opts.allModules ?? opts.modules;
  const local = new Map<string, unknown>();
  const auth = processValidator(config.api.auth_strategy, local, opts.remoteValidator, logger);
  const policyOverrides = loadPolicyFile(
    resolve(config.DEFAULT.state_path, config.oslo_policy.policy_file),
  );
  const createEnforcer = (defaults: readonly PolicyRule[]) =>
    new PolicyEnforcer(defaults, {
      overrides: policyOverrides,
      enforceScope: config.oslo_policy.enforce_scope,
    });

  const catalog = allModules.flatMap((m) => m.catalogEntries?.(config) ?? []);
  const serviceSession = processServiceSession(
    config,
    () =>
      (local.get(LOCAL_TOKEN_VALIDATOR) as { serviceCredentials?: ServiceCredentials } | undefined)
        ?.serviceCredentials,
    catalog,
    clock,
  );

  const shutdownHooks: (() => Promise<void> | void)[] = [];
  const periodic = new PeriodicTasks(logger);
  const consumers: Consumer[] = [];
  const services: StratusProcess['services'] = [];
  let stopping: Promise<void> | undefined;

  const stop = () =>
    (stopping ??= (async () => {
      await periodic.stop();
      for (const s of [...services].reverse()) {
        try {
          await s.running.stop();
        } catch (err) {
          logger.error({ err, service: s.module.name }, 'service stop failed');
        }
      }
      for (const c of consumers) await c.stop().catch(() => undefined);
      for (const hook of shutdownHooks.reverse()) await hook();
      await bus.close();
      for (const db of databases.values()) await (await db.catch(() => undefined))?.close();
    })());

  try {
    if (opts.serveRegistry) {
      const registry = new ServiceRegistry(
        await database(config.database.connection),
        clock,
        ids,
        config.DEFAULT.service_down_time,
      );
      consumers.push(
        await bus.serve(
          { topic: SERVICE_REGISTRY_TOPIC, server: config.DEFAULT.host },
          { report: async (hb: Heartbeat) => (await registry.report(hb)).id },
        ),
      );
    }
    for (const module of opts.modules) {
      const ctx: ServiceContext<any> = {
        config,
        logger: logger.child({ component: module.name }),
        metrics,
        bus,
        clock,
        ids,
        database,
        auth,
        createEnforcer,
        local,
        catalog,
        serviceSession,
        embedded: opts.embedded ?? false,
        onShutdown: (fn) => shutdownHooks.push(fn),
      };
      const running = await module.start(ctx);
      services.push({ module, running });
      if (running.local !== undefined) local.set(module.name, running.local);
      const hb: Heartbeat = {
        host: config.DEFAULT.host,
        binary: module.binary,
        topic: module.name,
      };
      const beat = async () => {
        await bus.call(SERVICE_REGISTRY_TOPIC, 'report', hb, {
          timeoutMs: config.DEFAULT.report_interval * 1000,
        });
      };
      // The first heartbeat registers the service; a failure is logged and retried next period.
      periodic.add(`heartbeat:${module.name}`, config.DEFAULT.report_interval * 1000, beat, 0);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { logger, bus, metrics, services, database, stop };
}
