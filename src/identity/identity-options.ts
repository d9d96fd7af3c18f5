import {
  bool,
  int,
  optionalStr,
  port,
  str,
  type ConfigSchema,
  type ConfigValues,
} from '../platform/config/options.js';
import type { PlatformOptions } from '../platform/config/platform-options.js';

/**
 * The identity service's config sections. Names follow keystone.conf (`[token] expiration`,
 * `[fernet_tokens] key_repository`, `[security_compliance] lockout_failure_attempts`) and
 * keystonemiddleware's `[keystone_authtoken]`, which every other service reads to reach identity.
 */
export function identityOptions() {
  return {
    identity: {
      bind_host: str('0.0.0.0', 'Address the identity API listens on.'),
      bind_port: port(5000, 'Port the identity API listens on.'),
      default_domain_id: str(
        'default',
        'The domain that bootstrap creates and that names without a domain fall back to.',
      ),
    },
    identity_database: {
      connection: str(
        '${database.connection}',
        'Database URL of the identity tables (default: the shared [database] connection).',
      ),
    },
    token: {
      expiration: int(3600, 'Seconds a token stays valid after it is issued.', {
        min: 1,
        max: 9_999_999,
      }),
      allow_rescope_scoped_token: bool(
        true,
        'Allow a scoped token to be exchanged for a token of another scope (token method).',
      ),
    },
    fernet_tokens: {
      key_repository: str(
        '$state_path/token-keys',
        'Directory of the token sealing keys (created on first start when missing).',
      ),
      max_active_keys: int(
        3,
        'Keys kept by a rotation (staged + primary + secondaries); a secondary that may still ' +
          'have unexpired tokens is kept beyond this number.',
        { min: 2 },
      ),
    },
    security_compliance: {
      lockout_failure_attempts: int(
        0,
        'Failed password attempts before a user is locked out (0 disables lockout).',
        { min: 0 },
      ),
      lockout_duration: int(1800, 'Seconds a locked-out user stays locked.', { min: 1 }),
    },
    bootstrap: {
      admin_password: optionalStr(
        'Password of the bootstrap admin user; when unset, `stratus all` generates one on its ' +
          'first start and writes it to <data dir>/clouds.yaml and openrc.',
        { secret: true },
      ),
      region_id: str('RegionOne', 'Region the bootstrap catalog endpoints are registered in.'),
    },
    keystone_authtoken: {
      www_authenticate_uri: optionalStr(
        'Public identity URL that 401 responses point clients to (WWW-Authenticate).',
      ),
      auth_url: optionalStr(
        'Identity URL this service authenticates to, e.g. http://controller:5000/v3 ' +
          '(needed only when identity runs in another process).',
      ),
      username: optionalStr('Service user that validates tokens.'),
      password: optionalStr('Password of the service user.', { secret: true }),
      project_name: str('service', 'Project of the service user.'),
      user_domain_name: str('Default', 'Domain of the service user.'),
      project_domain_name: str('Default', 'Domain of the service project.'),
      token_cache_time: int(
        60,
        'Seconds a validated token is cached (0 disables the cache); a revoked token may be ' +
          'accepted for up to this long by services in other processes.',
        { min: 0 },
      ),
      http_connect_timeout: int(10, 'Seconds to wait for the identity API to answer.', {
        min: 1,
      }),
    },
  } satisfies ConfigSchema;
}

/** The identity service's own option schema. */
export type IdentityOptions = ReturnType<typeof identityOptions>;

/** The typed configuration the identity service sees. */
export type IdentityConfig = ConfigValues<PlatformOptions & IdentityOptions>;
