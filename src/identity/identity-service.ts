import type { ServiceCredentials } from '../platform/auth/service-session.js';
import { randomBytes } from 'node:crypto';
import type { RunningService, ServiceContext } from '../platform/service/service-module.js';
import { PeriodicTasks } from '../platform/service/periodic-tasks.js';
import type { TokenValidator } from '../platform/auth/request-context.js';
import { CachingTokenValidator } from '../platform/auth/token-cache.js';
import { createIdentityApp } from './api/identity-app.js';
import type { IdentityApiDeps } from './api/identity-api.js';
import { SchemaCheck } from './api/schema-check.js';
import { Authenticator } from './core/authenticator.js';
import { bootstrap } from './core/bootstrap.js';
import { CLOUD_NAME, readCloudsPassword, writeCloudsFiles } from './core/clouds-files.js';
import { RoleResolver } from './core/role-resolver.js';
import { TokenProvider, toRequestContext } from './core/token-provider.js';
import { UserService } from './core/user-service.js';
import { setupKeyRepository } from './crypto/key-repository.js';
import { TokenSealer } from './crypto/token-sealer.js';
import type { IdentityOptions } from './identity-options.js';
import { identityPolicies } from './policies/identity-policies.js';
import { IdentityStore } from './store/identity-store.js';

/** How long co-located services reuse a token validation when nothing changed meanwhile. */
const LOCAL_TOKEN_CACHE_MS = 5_000;

/** What the identity service publishes to co-located services (see LOCAL_TOKEN_VALIDATOR). */
export interface IdentityLocal {
  tokenValidator: TokenValidator;
  /**
   * Embedded shape only: the bootstrap admin's credentials, which the co-located services use
   * as their service user (see processServiceSession in src/cmd/process-runtime.ts).
   */
  serviceCredentials?: ServiceCredentials;
}

/** The public identity URL (`http://<my_ip>:<port>/v3`), as the catalog registers it. */
export function identityPublicUrl(ctx: {
  config: ServiceContext<IdentityOptions>['config'];
}): string {
  return `http://${ctx.config.DEFAULT.my_ip}:${ctx.config.identity.bind_port}/v3`;
}

/**
 * First-run conveniences of `stratus all`: bootstrap the cloud (generating the admin password
 * unless `[bootstrap] admin_password` gives one) and write clouds.yaml and openrc into the data
 * directory. On later starts the catalog URLs and the files are refreshed with the password the
 * files already hold.
 */
async function embeddedBootstrap(
  ctx: ServiceContext<IdentityOptions>,
  store: IdentityStore,
  users: UserService,
): Promise<{ notices: string[]; password: string | undefined }> {
  const dir = ctx.config.DEFAULT.state_path;
  const given = ctx.config.bootstrap.admin_password;
  const firstRun = !(await store.users.findUserByName(
    'admin',
    ctx.config.identity.default_domain_id,
  ));
  const password =
    given ?? (firstRun ? randomBytes(18).toString('base64url') : readCloudsPassword(dir));
  await bootstrap(
    store,
    users,
    ctx.ids,
    {
      adminPassword: given ?? (firstRun ? password : undefined),
      defaultDomainId: ctx.config.identity.default_domain_id,
      regionId: ctx.config.bootstrap.region_id,
      catalog: ctx.catalog,
    },
    ctx.logger,
  );
  if (password === undefined) {
    return {
      password,
      notices: [
        `  admin login: the admin user exists but its password is unknown here; set ` +
          `[bootstrap] admin_password to have ${dir}/clouds.yaml written`,
      ],
    };
  }
  const files = writeCloudsFiles(dir, {
    authUrl: identityPublicUrl(ctx),
    username: 'admin',
    password,
    projectName: 'admin',
    regionName: ctx.config.bootstrap.region_id,
  });
  return {
    password,
    notices: [
      `  admin login: ${files.clouds} (cloud '${CLOUD_NAME}') and ${files.openrc}`,
      `    export OS_CLIENT_CONFIG_FILE=${files.clouds} OS_CLOUD=${CLOUD_NAME}; openstack token issue`,
    ],
  };
}

/** Starts the identity service: its store, token machinery and API listener. */
export async function startIdentity(ctx: ServiceContext<IdentityOptions>): Promise<RunningService> {
  const { config } = ctx;
  const database = await ctx.database(config.identity_database.connection);
  const store = new IdentityStore(database, ctx.clock);
  const keyDir = config.fernet_tokens.key_repository;
  if (setupKeyRepository(keyDir)) {
    ctx.logger.warn(
      { keyDir },
      'created a new token key repository; every identity node must share these keys',
    );
  }
  const resolver = new RoleResolver(store);
  const tokens = new TokenProvider(
    store,
    new TokenSealer(keyDir),
    resolver,
    ctx.clock,
    config.token.expiration,
  );
  const authenticator = new Authenticator(
    store,
    tokens,
    resolver,
    ctx.clock,
    {
      attempts: config.security_compliance.lockout_failure_attempts,
      durationS: config.security_compliance.lockout_duration,
    },
    config.token.allow_rescope_scoped_token,
  );
  const users = new UserService(store, ctx.ids);
  const embedded = ctx.embedded
    ? await embeddedBootstrap(ctx, store, users)
    : { notices: [], password: undefined };
  const notices = embedded.notices;

  const deps: IdentityApiDeps = {
    config,
    store,
    tokens,
    authenticator,
    resolver,
    users,
    enforcer: ctx.createEnforcer(identityPolicies()),
    schemas: new SchemaCheck(),
    clock: ctx.clock,
    ids: ctx.ids,
  };
  const app = createIdentityApp(deps, {
    logger: ctx.logger,
    metrics: ctx.metrics,
    bodyLimit: config.oslo_middleware.max_request_body_size,
    ...(config.keystone_authtoken.www_authenticate_uri
      ? { wwwAuthenticateUri: config.keystone_authtoken.www_authenticate_uri }
      : {}),
  });
  // Every change made through the API may change what a token grants (a user disabled, a
  // role removed, a token revoked): co-located services drop their cached validations then.
  // Counted before the response goes out, so a client that saw the change never meets an
  // answer cached before it. Issuing a token changes no other token.
  let generation = 0;
  app.addHook('onSend', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD') return;
    if (req.method === 'POST' && req.routeOptions.url === '/v3/auth/tokens') return;
    generation++;
  });
  await app.listen({ host: config.identity.bind_host, port: config.identity.bind_port });

  const periodic = new PeriodicTasks(ctx.logger);
  // Revocation events older than any token's lifetime can match nothing.
  periodic.add('prune-revocation-events', 3_600_000, async () => {
    await store.revocations.prune(config.token.expiration);
  });

  const local: IdentityLocal = {
    tokenValidator: new CachingTokenValidator(
      { validate: async (token) => toRequestContext(await tokens.validate(token)) },
      // Other processes writing the identity database (a second identity node, `stratus
      // manage`) are not counted in `generation`: their changes show within this time.
      { ttlMs: LOCAL_TOKEN_CACHE_MS, clock: ctx.clock, generation: () => generation },
    ),
    ...(embedded.password !== undefined
      ? {
          serviceCredentials: {
            authUrl: identityPublicUrl(ctx),
            username: 'admin',
            password: embedded.password,
            projectName: 'admin',
            userDomainName: 'Default',
            projectDomainName: 'Default',
          },
        }
      : {}),
  };
  return {
    endpoints: [`http://${config.identity.bind_host}:${config.identity.bind_port}/v3`],
    notices,
    local,
    async stop() {
      await periodic.stop();
      await app.close();
    },
  };
}
