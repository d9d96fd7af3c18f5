import type { Logger } from 'pino';
import type { Bus } from '../bus/bus.js';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import type { ConfigSchema, ConfigValues } from '../config/options.js';
import type { PlatformOptions } from '../config/platform-options.js';
import type { Database, MigrationSet } from '../db/database.js';
import type { Metrics } from '../metrics/metrics.js';
import type { TokenValidator } from '../auth/request-context.js';
import type { ServiceSession } from '../auth/service-session.js';
import type { PolicyEnforcer } from '../policy/policy-enforcer.js';
import type { PolicyRule } from '../policy/policy-rule.js';

/** One endpoint of the service catalog (Keystone's catalog, as bootstrap registers it). */
export interface CatalogEntry {
  /** Service type, e.g. `compute`, `image`, `placement`, `identity`. */
  type: string;
  /** Service name, e.g. `nova`, `glance`, `placement`, `keystone` (what clients expect). */
  name: string;
  /** The public URL, e.g. `http://10.0.0.5:8774/v2.1`. */
  url: string;
}

/** Everything a service gets from the process that runs it; no module-level state anywhere. */
export interface ServiceContext<S extends ConfigSchema = ConfigSchema> {
  /** The whole typed configuration: the platform's sections plus the service's own. */
  config: ConfigValues<PlatformOptions & S>;
  logger: Logger;
  metrics: Metrics;
  bus: Bus;
  clock: Clock;
  ids: IdGenerator;
  /**
   * Opens (or reuses) the database at `url`, already migrated to the service's migration sets.
   * Services sharing one URL share one Database, which SQLite needs (a single writer).
   */
  database(url: string): Promise<Database>;
  /**
   * Validates `X-Auth-Token` for the service's API: noauth2, the identity service in this
   * process, or the identity API of another host, as configured. Use with installAuthHook.
   */
  auth: TokenValidator;
  /** Makes the service's policy enforcer from its defaults plus the operator's policy file. */
  createEnforcer(defaults: readonly PolicyRule[]): PolicyEnforcer;
  /**
   * Services started in this same process, by name, so a co-located service can be used
   * without a network hop (e.g. identity validating tokens in-process). Only `cmd` wiring and a
   * service's own client.ts should read this.
   */
  local: Map<string, unknown>;
  /**
   * Calls other services' HTTP APIs as the service user (keystoneauth's Session): tokens,
   * catalog lookups, deadlines. The compute services reach Placement and images through it.
   */
  serviceSession: ServiceSession;
  /** The catalog endpoints of every service this binary knows (for identity's bootstrap). */
  catalog: CatalogEntry[];
  /**
   * True in the embedded shape (`stratus all`), where a service may do first-run conveniences
   * an operator would otherwise do by hand (identity bootstraps the cloud and writes clouds.yaml).
   */
  embedded?: boolean;
  /** Registers work to run at shutdown, after the service's own stop (last in, first out). */
  onShutdown(fn: () => Promise<void> | void): void;
}

/** A started service. */
export interface RunningService {
  /** Human-readable places it serves, printed at start (e.g. `http://0.0.0.0:5000`). */
  endpoints: string[];
  /** Stops taking work, finishes in-flight work, then releases resources. */
  stop(): Promise<void>;
  /** An object other co-located services may use (put in ServiceContext.local by name). */
  local?: unknown;
  /** Lines for the operator, printed after the started line (e.g. where the login is). */
  notices?: string[];
}

/**
 * One Stratus service (`stratus <name>`): its config sections, its migrations per database,
 * and how to start it. `stratus all` starts every registered module in one process.
 */
export interface ServiceModule<S extends ConfigSchema = ConfigSchema> {
  /** The subcommand name, e.g. `identity`. */
  name: string;
  /** The binary name services are registered under, e.g. `stratus-identity`. */
  binary: string;
  /** One line for `stratus --help`. */
  description: string;
  /** Config sections this service adds. */
  options: S;
  /**
   * The migration sets this service owns and which database URL each lives in, read from the
   * loaded config (e.g. placement tables in [placement_database] connection).
   */
  migrations(config: ConfigValues<PlatformOptions & S>): { url: string; set: MigrationSet }[];
  /**
   * Whether this service records the heartbeats of all services (Nova's conductor does, as the
   * one with database access); `stratus all` always does.
   */
  servesRegistry?: boolean;
  /** The public endpoints this service puts in the catalog, from the loaded config. */
  catalogEntries?(config: ConfigValues<PlatformOptions & S>): CatalogEntry[];
  /** Starts the service. */
  start(ctx: ServiceContext<S>): Promise<RunningService>;
}
