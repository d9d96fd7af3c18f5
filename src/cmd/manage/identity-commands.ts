import type { Command } from 'commander';
import { systemClock } from '../../common/clock.js';
import { randomIds } from '../../common/ids.js';
import { bootstrap } from '../../identity/core/bootstrap.js';
import { UserService } from '../../identity/core/user-service.js';
import {
  loadKeyRing,
  rotateKeyRepository,
  setupKeyRepository,
} from '../../identity/crypto/key-repository.js';
import type { IdentityConfig } from '../../identity/identity-options.js';
import { IdentityStore } from '../../identity/store/identity-store.js';
import { identityMigrations } from '../../identity/store/migrations.js';
import { migrate } from '../../platform/db/migrate.js';
import { openDatabase } from '../../platform/db/open-database.js';
import type { ServiceModule } from '../../platform/service/service-module.js';
import { withGlobalFlags } from '../global-flags.js';
import { loadProcessConfig, type GlobalFlags } from '../process-config.js';

/**
 * `stratus manage bootstrap` (keystone-manage bootstrap) and `stratus manage token-keys
 * setup|rotate|list` (keystone-manage fernet_setup / fernet_rotate).
 */
export function registerIdentityCommands(
  manage: Command,
  modules: readonly ServiceModule<any>[],
): void {
  const config = (flags: GlobalFlags) =>
    loadProcessConfig(modules, flags) as unknown as IdentityConfig;

  withGlobalFlags(
    manage
      .command('bootstrap')
      .description('create the default domain, admin project, user and roles, and the catalog')
      .option(
        '--admin-password <password>',
        'password of the admin user ([bootstrap] admin_password)',
      )
      .option('--admin-username <name>', 'name of the admin user', 'admin')
      .option('--admin-project-name <name>', 'name of the admin project', 'admin')
      .option('--region-id <id>', 'region of the catalog endpoints ([bootstrap] region_id)'),
  ).action(
    async (
      flags: GlobalFlags & {
        adminPassword?: string;
        adminUsername: string;
        adminProjectName: string;
        regionId?: string;
      },
    ) => {
      const c = config(flags);
      const db = await openDatabase(c.identity_database.connection);
      try {
        await migrate(db, identityMigrations);
        const store = new IdentityStore(db, systemClock);
        const result = await bootstrap(store, new UserService(store, randomIds), randomIds, {
          adminPassword: flags.adminPassword ?? c.bootstrap.admin_password,
          adminUsername: flags.adminUsername,
          projectName: flags.adminProjectName,
          defaultDomainId: c.identity.default_domain_id,
          regionId: flags.regionId ?? c.bootstrap.region_id,
          catalog: modules.flatMap((m) => m.catalogEntries?.(c as any) ?? []),
        });
        process.stdout.write(
          `bootstrapped: admin user ${result.adminUserId}` +
            `${result.createdAdmin ? ' (created)' : ''}, project ${result.adminProjectId}\n`,
        );
      } finally {
        await db.close();
      }
    },
  );

  const keys = manage.command('token-keys').description('the token sealing key repository');
  withGlobalFlags(
    keys.command('setup').description('create the key repository if it has no keys'),
  ).action((flags: GlobalFlags) => {
    const dir = config(flags).fernet_tokens.key_repository;
    const created = setupKeyRepository(dir);
    process.stdout.write(`${created ? 'created' : 'already set up'}: ${dir}\n`);
  });
  withGlobalFlags(
    keys
      .command('rotate')
      .description('stage a new key, make the staged key primary, prune expired old keys'),
  ).action((flags: GlobalFlags) => {
    const c = config(flags);
    const dir = c.fernet_tokens.key_repository;
    setupKeyRepository(dir);
    const r = rotateKeyRepository(dir, {
      maxActiveKeys: c.fernet_tokens.max_active_keys,
      tokenExpirationS: c.token.expiration,
      nowMs: systemClock.now(),
    });
    process.stdout.write(`rotated ${dir}: primary key ${r.primary}`);
    if (r.removed.length) process.stdout.write(`, removed ${r.removed.join(', ')}`);
    if (r.kept.length) {
      process.stdout.write(`, kept ${r.kept.join(', ')} (tokens sealed with them may be valid)`);
    }
    process.stdout.write('\n');
  });
  withGlobalFlags(keys.command('list').description('show the keys and their roles')).action(
    (flags: GlobalFlags) => {
      const ring = loadKeyRing(config(flags).fernet_tokens.key_repository);
      for (const k of ring.keys) {
        const role = k.index === 0 ? 'staged' : k === ring.primary ? 'primary' : 'secondary';
        process.stdout.write(`${k.index}\t${role}\t${k.id.toString('hex')}\n`);
      }
    },
  );
}
