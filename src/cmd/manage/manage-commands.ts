import type { Command } from 'commander';
import type { ServiceModule } from '../../platform/service/service-module.js';
import { withGlobalFlags } from '../global-flags.js';
import { loadProcessConfig, type GlobalFlags } from '../process-config.js';
import { dbSync, dbVersion } from './db-sync.js';
import { registerIdentityCommands } from './identity-commands.js';
import { registerPlacementCommands } from './placement-commands.js';

/** Adds `stratus manage ...`: operator commands that run and exit. */
export function registerManageCommands(
  program: Command,
  modules: readonly ServiceModule<any>[],
): void {
  const manage = program
    .command('manage')
    .description('operator commands: database sync, config checks, Placement sync');

  withGlobalFlags(
    manage
      .command('validate-config')
      .description('check config files without starting anything (exit 2 on error)'),
  ).action((flags: GlobalFlags) => {
    loadProcessConfig(modules, flags);
    process.stdout.write(
      `configuration is valid (${(flags.configFile ?? []).join(', ') || 'defaults'})\n`,
    );
  });

  const db = manage.command('db').description('database schema');
  withGlobalFlags(
    db.command('sync').description('apply pending migrations of every service'),
  ).action(async (flags: GlobalFlags) => {
    const config = loadProcessConfig(modules, flags);
    for (const line of await dbSync(config, modules)) process.stdout.write(`${line}\n`);
  });
  withGlobalFlags(db.command('version').description('show applied and pending migrations')).action(
    async (flags: GlobalFlags) => {
      const config = loadProcessConfig(modules, flags);
      for (const line of await dbVersion(config, modules)) process.stdout.write(`${line}\n`);
    },
  );
  registerIdentityCommands(manage, modules);
  registerPlacementCommands(manage, modules);
}
