import { loadConfig } from '../platform/config/load-config.js';
import type { ConfigValues } from '../platform/config/options.js';
import type { ConfigSchema } from '../platform/config/options.js';
import {
  mergeSchemas,
  platformOptions,
  type PlatformOptions,
} from '../platform/config/platform-options.js';
import type { ServiceModule } from '../platform/service/service-module.js';

/** The command-line flags every subcommand takes. */
export interface GlobalFlags {
  configFile?: string[];
  dataDir?: string;
}

/** The schema of a process: the platform's sections plus those of every known service. */
export function processSchema(modules: readonly ServiceModule<any>[]): ConfigSchema {
  let schema: ConfigSchema = platformOptions();
  for (const m of modules) schema = mergeSchemas(schema, m.options);
  return schema;
}

/**
 * Loads the configuration the way every subcommand does: files in the order given (later
 * override earlier), then `OS_<SECTION>__<KEY>` environment variables, then flags.
 */
export function loadProcessConfig(
  modules: readonly ServiceModule<any>[],
  flags: GlobalFlags,
  env: Record<string, string | undefined> = process.env,
): ConfigValues<PlatformOptions> & Record<string, Record<string, any>> {
  const overrides: Record<string, Record<string, string>> = {};
  if (flags.dataDir) overrides.DEFAULT = { state_path: flags.dataDir };
  return loadConfig(processSchema(modules), {
    files: flags.configFile ?? [],
    env,
    overrides,
  }) as ConfigValues<PlatformOptions> & Record<string, Record<string, any>>;
}
