import type { MigrationSet } from '../../platform/db/database.js';
import { migrate, migrationStatus } from '../../platform/db/migrate.js';
import { openDatabase } from '../../platform/db/open-database.js';
import type { ServiceModule } from '../../platform/service/service-module.js';
import { serviceRegistryMigrations } from '../../platform/service/service-registry.js';
import type { loadProcessConfig } from '../process-config.js';

type ProcessConfig = ReturnType<typeof loadProcessConfig>;

/** Every migration set of the process and the URL it lives in. */
export function migrationPlan(
  config: ProcessConfig,
  modules: readonly ServiceModule<any>[],
): { url: string; set: MigrationSet }[] {
  return [
    { url: config.database.connection, set: serviceRegistryMigrations },
    ...modules.flatMap((m) => m.migrations(config)),
  ];
}

/** Applies every pending migration; returns one line per service. */
export async function dbSync(
  config: ProcessConfig,
  modules: readonly ServiceModule<any>[],
): Promise<string[]> {
  const lines: string[] = [];
  for (const { url, set } of migrationPlan(config, modules)) {
    const db = await openDatabase(url);
    try {
      const applied = await migrate(db, set);
      lines.push(
        `${set.service}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'} (${db.safeUrl})`,
      );
    } finally {
      await db.close();
    }
  }
  return lines;
}

/** Reports applied and pending migrations; one line per service. */
export async function dbVersion(
  config: ProcessConfig,
  modules: readonly ServiceModule<any>[],
): Promise<string[]> {
  const lines: string[] = [];
  for (const { url, set } of migrationPlan(config, modules)) {
    const db = await openDatabase(url);
    try {
      const st = await migrationStatus(db, set);
      const last = st.applied.at(-1)?.name ?? 'none';
      lines.push(`${set.service}: at ${last}, ${st.pending.length} pending (${db.safeUrl})`);
    } finally {
      await db.close();
    }
  }
  return lines;
}
