/**
 * Runs the real `openstack` CLI (Debian's python3-openstackclient) for client-compatibility
 * tests. Returns its exit code and output; `json()` parses `-f json` output.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** True when the openstack CLI is installed. */
export function openstackAvailable(): boolean {
  return existsSync('/usr/bin/openstack');
}

/** node:test `skip` value: a reason when the CLI is absent (never skipped in CI: it fails). */
export function openstackSkip(): string | false {
  if (openstackAvailable()) return false;
  if (process.env.CI === 'true')
    throw new Error('the openstack CLI is required in CI (python3-openstackclient)');
  return 'the openstack CLI is not installed (apt-get install python3-openstackclient)';
}

/** The result of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json<T = any>(): T;
}

/**
 * Runs `openstack ...args` with the given environment (e.g. OS_CLOUD and OS_CLIENT_CONFIG_FILE
 * pointing at the clouds.yaml that `stratus all` wrote). Never throws for a non-zero exit.
 */
export function openstack(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !k.startsWith('OS_')) clean[k] = v;
    }
    const child = execFile(
      'openstack',
      args,
      {
        env: { ...clean, PYTHONWARNINGS: 'ignore', ...env },
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({
          code,
          stdout,
          stderr,
          json: () => {
            try {
              return JSON.parse(stdout);
            } catch {
              throw new Error(
                `openstack ${args.join(' ')} did not print JSON (exit ${code}):\n${stdout}\n${stderr}`,
              );
            }
          },
        });
      },
    );
    // `image create` and others read data from a stdin that is not a terminal: give them EOF.
    child.stdin?.end();
  });
}
