import { Command } from 'commander';
import { withGlobalFlags } from './global-flags.js';
import { ConfigError, StratusError } from '../common/errors.js';
import { loadProcessConfig, type GlobalFlags } from './process-config.js';
import { startProcess } from './process-runtime.js';
import { runUntilSignal } from './run-until-signal.js';
import { serviceModules } from './service-modules.js';
import { registerManageCommands } from './manage/manage-commands.js';
import type { ServiceModule } from '../platform/service/service-module.js';
import { remoteTokenValidator, type AuthTokenSettings } from '../identity/client.js';
import { systemClock } from '../common/clock.js';

/** Exit code for a configuration error, as oslo.config's tools use. */
export const EXIT_CONFIG_ERROR = 2;

async function serve(
  name: string,
  modules: ServiceModule<any>[],
  flags: GlobalFlags,
  serveRegistry: boolean,
) {
  const all = serviceModules();
  const config = loadProcessConfig(all, flags);
  const proc = await startProcess({
    name,
    config,
    modules,
    allModules: all,
    serveRegistry,
    embedded: name === 'stratus-all',
    // Without a co-located identity service, tokens are validated through the identity API.
    remoteValidator: () =>
      remoteTokenValidator(config.keystone_authtoken as AuthTokenSettings, systemClock),
  });
  // Signal handlers go in before the started line, so a supervisor may stop us as soon as it sees it.
  const stopped = runUntilSignal(proc, config.DEFAULT.graceful_shutdown_timeout);
  const lines = [
    `${name} started (host ${config.DEFAULT.host}, data in ${config.DEFAULT.state_path})`,
  ];
  for (const s of proc.services) {
    lines.push(`  ${s.module.name.padEnd(12)} ${s.running.endpoints.join(', ')}`);
  }
  if (proc.services.length === 0) lines.push('  (no services exist yet)');
  for (const s of proc.services) lines.push(...(s.running.notices ?? []));
  process.stdout.write(`${lines.join('\n')}\n`);
  proc.logger.info({ services: proc.services.map((s) => s.module.name) }, 'started');
  await stopped;
}

/** Builds the `stratus` command line. */
export function buildProgram(): Command {
  const program = new Command('stratus')
    .description('Stratus: an OpenStack-compatible compute cloud')
    .showHelpAfterError()
    .enablePositionalOptions();
  const modules = serviceModules();

  withGlobalFlags(
    program
      .command('all')
      .description('run every service in one process (SQLite and the in-process bus by default)'),
  ).action((flags: GlobalFlags) => serve('stratus-all', modules, flags, true));

  for (const m of modules) {
    withGlobalFlags(program.command(m.name).description(m.description)).action(
      (flags: GlobalFlags) => serve(m.binary, [m], flags, m.servesRegistry ?? false),
    );
  }

  registerManageCommands(program, modules);
  return program;
}

/** Runs the CLI and turns expected errors into messages and exit codes. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`stratus: configuration error: ${err.message}\n`);
      process.exit(EXIT_CONFIG_ERROR);
    }
    if (err instanceof StratusError) {
      process.stderr.write(`stratus: ${err.message}\n`);
      process.exit(1);
    }
    const sys = err as NodeJS.ErrnoException & { address?: string; port?: number };
    if (sys?.code === 'EADDRINUSE' || sys?.code === 'EACCES' || sys?.code === 'EADDRNOTAVAIL') {
      process.stderr.write(
        `stratus: cannot listen on ${sys.address}:${sys.port}: ${sys.message}\n`,
      );
      process.exit(1);
    }
    throw err;
  }
}
