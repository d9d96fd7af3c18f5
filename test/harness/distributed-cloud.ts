/**
 * A distributed Stratus cloud for end-to-end tests: a private PostgreSQL and RabbitMQ, then each
 * service in its own process (identity, placement, image, api, conductor, scheduler, and N
 * compute hosts), sharing one config as a real deployment would, plus a clouds.yaml for the CLI.
 *
 *   const cloud = await startDistributedCloud({ computeHosts: ['cmp1', 'cmp2'] });
 *   after(() => cloud.stop());
 *   await openstack(['server', 'list'], cloud.cliEnv);
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { processSchema } from '../../src/cmd/process-config.js';
import { serviceModules } from '../../src/cmd/service-modules.js';
import { freePort } from './free-port.js';
import { startPostgres, type PostgresServer } from './postgres.js';
import { startRabbit, type RabbitHandle } from './rabbitmq.js';
import {
  LISTENERS,
  startStratus,
  type ListenerName,
  type StratusHandle,
} from './stratus-process.js';

/** What a test can choose. */
export interface DistributedCloudOptions {
  computeHosts: string[];
  /** Extra config for every process (section → key → value). */
  config?: Record<string, Record<string, string>>;
  /** Extra config for compute hosts only. */
  computeConfig?: Record<string, Record<string, string>>;
}

/** A running distributed cloud. */
export interface DistributedCloud {
  postgres: PostgresServer;
  rabbit: RabbitHandle;
  transportUrl: string;
  databaseUrl: string;
  adminPassword: string;
  /** Environment for the openstack CLI (OS_CLIENT_CONFIG_FILE, OS_CLOUD). */
  cliEnv: Record<string, string>;
  url(name: ListenerName): string;
  processes: Map<string, StratusHandle>;
  /**
   * The fake hypervisor's guests on a compute host (its `[fake] guests_file`, which outlives the
   * agent's process as a real hypervisor's guests do).
   */
  guests(host: string): { uuid: string; node: string; powerState: number }[];
  /** Starts (again) the compute agent of a host. */
  startCompute(host: string): Promise<StratusHandle>;
  stop(): Promise<void>;
}

const repoRoot = resolve(import.meta.dirname, '..', '..');
const CONTROL_SERVICES = [
  'identity',
  'placement',
  'image',
  'api',
  'conductor',
  'scheduler',
] as const;

function stratusCli(args: string[]): Promise<void> {
  return new Promise((res, rej) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'bin', 'stratus.js'), ...args],
      { env: { ...process.env, STRATUS_FROM_SOURCE: '1' } },
      (err, stdout, stderr) =>
        err ? rej(new Error(`stratus ${args.join(' ')} failed:\n${stdout}${stderr}`)) : res(),
    );
  });
}

function merge(
  ...parts: (Record<string, Record<string, string>> | undefined)[]
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const p of parts)
    for (const [s, kv] of Object.entries(p ?? {})) Object.assign((out[s] ??= {}), kv);
  return out;
}

/** Starts every service of a distributed cloud and waits until each has started. */
export async function startDistributedCloud(
  opts: DistributedCloudOptions,
): Promise<DistributedCloud> {
  const base = mkdtempSync(join(tmpdir(), 'stratus-dist-'));
  const postgres = await startPostgres();
  const processes = new Map<string, StratusHandle>();
  let rabbit: RabbitHandle | undefined;
  const stop = async () => {
    await Promise.all([...processes.values()].map((p) => p.stop({ keepData: true })));
    await rabbit?.stop();
    await postgres.stop();
    rmSync(base, { recursive: true, force: true });
  };
  try {
    rabbit = await startRabbit();
    const databaseUrl = await postgres.createDatabase('stratus');
    const ports: Partial<Record<ListenerName, number>> = {};
    for (const name of Object.keys(LISTENERS) as ListenerName[]) ports[name] = await freePort();
    // Every process (and the bootstrap's catalog) must agree on where each API listens.
    const schema = processSchema(serviceModules());
    const listeners: Record<string, Record<string, string>> = {};
    for (const [name, l] of Object.entries(LISTENERS) as [
      ListenerName,
      (typeof LISTENERS)[ListenerName],
    ][]) {
      if (!schema[l.section]?.[l.port]) continue;
      (listeners[l.section] ??= {})[l.host] = '127.0.0.1';
      listeners[l.section]![l.port] = String(ports[name]);
    }
    const identityUrl = `http://127.0.0.1:${ports.identity}/v3`;
    const adminPassword = 'dist-admin-pw';
    const common = merge(
      {
        DEFAULT: {
          transport_url: rabbit.url,
          my_ip: '127.0.0.1',
          report_interval: '2',
          service_down_time: '20',
        },
        database: { connection: databaseUrl },
        bootstrap: { admin_password: adminPassword },
        keystone_authtoken: {
          auth_url: identityUrl,
          username: 'admin',
          password: adminPassword,
          project_name: 'admin',
        },
        service_user: {
          auth_url: identityUrl,
          username: 'admin',
          password: adminPassword,
          project_name: 'admin',
        },
      },
      listeners,
      opts.config,
    );
    const confFile = join(base, 'common.conf');
    writeFileSync(
      confFile,
      Object.entries(common)
        .map(
          ([s, kv]) =>
            `[${s}]\n${Object.entries(kv)
              .map(([k, v]) => `${k} = ${v}`)
              .join('\n')}\n`,
        )
        .join('\n'),
    );
    await stratusCli([
      'manage',
      'db',
      'sync',
      '--config-file',
      confFile,
      '--data-dir',
      join(base, 'manage'),
    ]);
    await stratusCli([
      'manage',
      'bootstrap',
      '--config-file',
      confFile,
      '--data-dir',
      join(base, 'manage'),
    ]);

    const start = async (
      command: string,
      host: string,
      extra?: Record<string, Record<string, string>>,
    ) => {
      const dataDir = join(base, `${command}-${host}`);
      mkdirSync(dataDir, { recursive: true });
      const handle = await startStratus({
        command,
        dataDir,
        ports,
        config: merge(common, { DEFAULT: { host } }, extra),
        startTimeoutMs: 60_000,
      });
      processes.set(command === 'compute' ? `compute:${host}` : command, handle);
      return handle;
    };
    for (const svc of CONTROL_SERVICES) await start(svc, 'controller');
    const guestsFile = (host: string) => join(base, `compute-${host}`, 'fake-guests.json');
    const startCompute = (host: string) =>
      start(
        'compute',
        host,
        merge({ fake: { guests_file: guestsFile(host) } }, opts.computeConfig),
      );
    for (const host of opts.computeHosts) await startCompute(host);

    const clouds = join(base, 'clouds.yaml');
    writeFileSync(
      clouds,
      [
        'clouds:',
        '  stratus:',
        '    auth:',
        `      auth_url: ${identityUrl}`,
        '      username: admin',
        `      password: ${adminPassword}`,
        '      project_name: admin',
        '      user_domain_name: Default',
        '      project_domain_name: Default',
        '    region_name: RegionOne',
        '    identity_api_version: 3',
        '',
      ].join('\n'),
    );
    return {
      postgres,
      rabbit,
      transportUrl: rabbit.url,
      databaseUrl,
      adminPassword,
      cliEnv: { OS_CLIENT_CONFIG_FILE: clouds, OS_CLOUD: 'stratus' },
      url: (name) => `http://127.0.0.1:${ports[name]}`,
      processes,
      guests: (host) =>
        existsSync(guestsFile(host))
          ? (JSON.parse(readFileSync(guestsFile(host), 'utf8')) as ReturnType<
              DistributedCloud['guests']
            >)
          : [],
      startCompute,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
