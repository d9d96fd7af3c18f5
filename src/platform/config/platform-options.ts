import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { bool, choice, int, list, optionalStr, str, type ConfigSchema } from './options.js';

/**
 * The options every Stratus process shares. Names follow nova.conf and the oslo libraries where
 * the option exists upstream; each service adds its own sections (see mergeSchemas).
 */
export function platformOptions() {
  return {
    DEFAULT: {
      host: str(hostname(), 'Name of this host, as services and compute nodes are registered.'),
      state_path: str(
        join(homedir(), '.stratus'),
        'Top-level directory for Stratus state (--data-dir).',
      ),
      my_ip: str('127.0.0.1', 'IP address of this host, used in catalog URLs and consoles.'),
      debug: bool(false, 'Log at debug level.'),
      log_file: optionalStr('Write logs to this file instead of standard output.'),
      transport_url: str(
        'memory://',
        'Message bus: memory:// (in-process, one process only) or rabbit://user:pw@host:port/vhost.',
      ),
      control_exchange: str('stratus', 'The exchange RPC topics live in.'),
      rpc_response_timeout: int(60, 'Seconds to wait for an RPC reply.', { min: 1 }),
      report_interval: int(10, 'Seconds between service heartbeats.', { min: 1 }),
      service_down_time: int(60, 'A service with no heartbeat for this many seconds is down.', {
        min: 1,
      }),
      periodic_fuzzy_delay: int(
        60,
        'Random delay (up to this many seconds) before periodic tasks start.',
        {
          min: 0,
        },
      ),
      graceful_shutdown_timeout: int(60, 'Seconds to wait for in-flight work on shutdown.', {
        min: 0,
      }),
      shutdown_timeout: int(60, 'Seconds to wait for a guest to power off cleanly.', { min: 0 }),
    },
    database: {
      connection: str(
        'sqlite:///$state_path/stratus.db',
        'Database URL (sqlite:///path or postgresql://...).',
      ),
      max_pool_size: int(5, 'Maximum connections in the pool (PostgreSQL).', { min: 1 }),
      pool_timeout: int(30, 'Seconds to wait for a free connection.', { min: 1 }),
      lock_timeout: int(30, 'Seconds a statement may wait for a lock before it fails.', { min: 1 }),
    },
    api: {
      auth_strategy: choice(
        ['keystone', 'noauth2'] as const,
        'keystone',
        'How API requests are authenticated.',
      ),
    },
    service_user: {
      auth_url: optionalStr('Identity URL the services log in to (e.g. http://host:5000/v3).'),
      username: str('stratus', 'The service user Stratus services call each other as.'),
      password: optionalStr('Password of the service user.', { secret: true }),
      project_name: str('service', 'Project of the service user.'),
      user_domain_name: str('Default', 'Domain of the service user.'),
      project_domain_name: str('Default', 'Domain of the service project.'),
      region_name: optionalStr('Region whose endpoints the services use.'),
      valid_interfaces: choice(
        ['public', 'internal', 'admin'] as const,
        'public',
        'Catalog interface to call.',
      ),
      timeout: int(60, 'Seconds one call to another service may take.', { min: 1 }),
    },
    placement: {
      endpoint_override: optionalStr('Placement URL, instead of the one in the catalog.'),
    },
    glance: {
      endpoint_override: optionalStr('Image service URL, instead of the one in the catalog.'),
    },
    oslo_middleware: {
      max_request_body_size: int(114688, 'Largest accepted request body, in bytes.', { min: 1 }),
    },
    oslo_messaging_rabbit: {
      heartbeat_timeout_threshold: int(
        60,
        'Seconds without a heartbeat before the connection is dead (0 disables).',
        {
          min: 0,
        },
      ),
      rabbit_retry_interval: int(1, 'Seconds before the first reconnect attempt.', { min: 0 }),
      rabbit_interval_max: int(30, 'Maximum seconds between reconnect attempts.', { min: 1 }),
    },
    oslo_policy: {
      policy_file: str(
        'policy.yaml',
        'Policy overrides (YAML or JSON), relative to the config dir.',
      ),
      enforce_scope: bool(true, 'Check token scope against the scope a rule allows.'),
      enforce_new_defaults: bool(true, 'Use the new default rules (admin/member/reader).'),
    },
    notifications: {
      notification_format: choice(
        ['unversioned', 'versioned', 'both'] as const,
        'unversioned',
        'Which notifications to emit.',
      ),
      versioned_notifications_topics: list(
        ['versioned_notifications'],
        'Topics versioned notifications go to.',
      ),
    },
    oslo_messaging_notifications: {
      driver: list([], 'Notification drivers (messagingv2, noop); empty disables notifications.'),
      topics: list(['notifications'], 'Topics unversioned notifications go to.'),
    },
  } satisfies ConfigSchema;
}

/** The platform's typed config sections. */
export type PlatformOptions = ReturnType<typeof platformOptions>;

/**
 * Merges several schemas into one. Two schemas may add keys to the same section (nova and
 * placement both have [api]); defining one key twice with different definitions is an error.
 */
export function mergeSchemas<A extends ConfigSchema, B extends ConfigSchema>(a: A, b: B): A & B {
  const out: ConfigSchema = {};
  for (const s of [a, b]) {
    for (const [section, opts] of Object.entries(s)) {
      const target = (out[section] ??= {});
      for (const [key, opt] of Object.entries(opts)) {
        // The same option object may come from two modules (e.g. conductor and scheduler both
        // read [scheduler] max_attempts); two different definitions of one name are a bug.
        if (target[key] && target[key] !== opt)
          throw new Error(`option [${section}] ${key} is defined twice`);
        target[key] = opt;
      }
    }
  }
  return out as A & B;
}
