import type { Command } from 'commander';
import { systemClock } from '../../common/clock.js';
import { randomIds } from '../../common/ids.js';
import { syncAggregates } from '../../compute/api/aggregates/aggregate-sync.js';
import { AggregateStore } from '../../compute/api/store/aggregate-store.js';
import { CellRecords } from '../../compute/api/store/cell-records.js';
import { readCloudsPassword } from '../../identity/core/clouds-files.js';
import type { ServiceCredentials } from '../../platform/auth/service-session.js';
import { openDatabase } from '../../platform/db/open-database.js';
import type { ServiceModule } from '../../platform/service/service-module.js';
import { PlacementClient } from '../../placement/client.js';
import { withGlobalFlags } from '../global-flags.js';
import { loadProcessConfig, type GlobalFlags } from '../process-config.js';
import { processServiceSession } from '../process-runtime.js';

type ProcessConfig = ReturnType<typeof loadProcessConfig>;

/**
 * Without `[service_user]` credentials, the embedded cloud's admin: `[bootstrap]
 * admin_password` or the password `stratus all` wrote into the data directory's clouds.yaml.
 */
function embeddedAdmin(config: ProcessConfig, identityUrl: string | undefined) {
  return (): ServiceCredentials | undefined => {
    const password =
      (config.bootstrap?.admin_password as string | undefined) ??
      readCloudsPassword(config.DEFAULT.state_path);
    if (password === undefined || identityUrl === undefined) return undefined;
    return {
      authUrl: identityUrl,
      username: 'admin',
      password,
      projectName: 'admin',
      userDomainName: 'Default',
      projectDomainName: 'Default',
    };
  };
}

/** `stratus manage placement sync_aggregates` (nova-manage placement sync_aggregates). */
export function registerPlacementCommands(
  manage: Command,
  modules: readonly ServiceModule<any>[],
): void {
  const placement = manage.command('placement').description('Placement data kept by compute');
  withGlobalFlags(
    placement
      .command('sync_aggregates')
      .description(
        "put every host aggregate on its hosts' resource providers in Placement " +
          '(exit 0 done, 3 Placement failed, 5 hosts without compute nodes, 6 nodes without providers)',
      )
      .option('--verbose', 'print each aggregate, host and provider processed'),
  ).action(async (flags: GlobalFlags & { verbose?: boolean }) => {
    const config = loadProcessConfig(modules, flags);
    const catalog = modules.flatMap((m) => m.catalogEntries?.(config) ?? []);
    const identityUrl = catalog.find((c) => c.type === 'identity')?.url;
    const session = processServiceSession(
      config,
      embeddedAdmin(config, identityUrl),
      catalog,
      systemClock,
    );
    const apiDb = await openDatabase(config.api_database!.connection as string);
    const cellDb = await openDatabase(config.database.connection);
    try {
      const result = await syncAggregates({
        aggregates: new AggregateStore(apiDb, systemClock, randomIds),
        nodes: new CellRecords(cellDb),
        placement: new PlacementClient(session),
        verbose: flags.verbose ?? false,
      });
      for (const line of result.lines) process.stdout.write(`${line}\n`);
      process.exitCode = result.code;
    } finally {
      await apiDb.close();
      await cellDb.close();
    }
  });
}
