import { Option, type Command } from 'commander';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds the flags every subcommand shares: --config-file (repeatable) and --data-dir. */
export function withGlobalFlags(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--config-file <path>',
        'config file; repeat to layer (later files override)',
      ).argParser(collect),
    )
    .option('--data-dir <dir>', 'state directory ([DEFAULT] state_path)');
}
