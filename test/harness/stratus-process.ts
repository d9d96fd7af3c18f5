/**
 * Starts a real `stratus` process (default `all`) for end-to-end tests: a temp data dir, a
 * config file with every listener on 127.0.0.1 and a free port, and a wait for the "started"
 * line. Use it from a test file like this:
 *
 *   const stratus = await startStratus({ config: { api: { auth_strategy: 'noauth2' } } });
 *   after(() => stratus.stop());
 *   const res = await fetch(`${stratus.url('compute')}/v2.1/flavors`, ...);
 *
 * Only the listeners of services that exist are configured (unknown options are errors).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { processSchema } from '../../src/cmd/process-config.js';
import { serviceModules } from '../../src/cmd/service-modules.js';
import { freePort } from './free-port.js';

/** Where each API listens: its config section and host/port option names, and the URL path. */
export const LISTENERS = {
  identity: { section: 'identity', host: 'bind_host', port: 'bind_port', path: '/v3' },
  compute: {
    section: 'DEFAULT',
    host: 'osapi_compute_listen',
    port: 'osapi_compute_listen_port',
    path: '/v2.1',
  },
  metadata: { section: 'DEFAULT', host: 'metadata_listen', port: 'metadata_listen_port', path: '' },
  image: { section: 'image', host: 'bind_host', port: 'bind_port', path: '' },
  placement: { section: 'placement', host: 'bind_host', port: 'bind_port', path: '' },
  novncproxy: { section: 'vnc', host: 'novncproxy_host', port: 'novncproxy_port', path: '' },
} as const;

/** The name of an API listener. */
export type ListenerName = keyof typeof LISTENERS;

/** What a test chooses about the process. */
export interface StartStratusOptions {
  /** Subcommand, default `all`. */
  command?: string;
  /** Extra config: section → key → value (written to the config file). */
  config?: Record<string, Record<string, string>>;
  /** Reuse a data dir (e.g. to restart on the same state); default a new temp dir. */
  dataDir?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Listener ports to use instead of fresh free ones (processes of one distributed cloud share them). */
  ports?: Partial<Record<ListenerName, number>>;
  /** How long to wait for the started line (default 30 s). */
  startTimeoutMs?: number;
}

/** A running stratus process. */
export interface StratusHandle {
  dataDir: string;
  configFile: string;
  child: ChildProcess;
  /** Base URL (`http://127.0.0.1:PORT`) of a listener. */
  url(name: ListenerName): string;
  ports: Partial<Record<ListenerName, number>>;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, wait for exit, and remove the data dir unless `keepData`. */
  stop(opts?: { keepData?: boolean }): Promise<number | null>;
}

const repoRoot = resolve(import.meta.dirname, '..', '..');

/** Starts stratus and resolves once it printed that it started. */
export async function startStratus(opts: StartStratusOptions = {}): Promise<StratusHandle> {
  const schema = processSchema(serviceModules());
  const ownDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'stratus-test-'));
  const sections: Record<string, Record<string, string>> = { DEFAULT: { host: 'test-host' } };
  const ports: Partial<Record<ListenerName, number>> = {};
  for (const [name, l] of Object.entries(LISTENERS) as [
    ListenerName,
    (typeof LISTENERS)[ListenerName],
  ][]) {
    if (!schema[l.section]?.[l.port]) continue;
    const port = opts.ports?.[name] ?? (await freePort());
    ports[name] = port;
    (sections[l.section] ??= {})[l.host] = '127.0.0.1';
    sections[l.section]![l.port] = String(port);
  }
  for (const [section, values] of Object.entries(opts.config ?? {})) {
    Object.assign((sections[section] ??= {}), values);
  }
  const configFile = join(dataDir, `test-${process.pid}-${Date.now()}.conf`);
  writeFileSync(
    configFile,
    Object.entries(sections)
      .map(
        ([s, kv]) =>
          `[${s}]\n${Object.entries(kv)
            .map(([k, v]) => `${k} = ${v}`)
            .join('\n')}\n`,
      )
      .join('\n'),
  );

  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'bin', 'stratus.js'),
      opts.command ?? 'all',
      '--config-file',
      configFile,
      '--data-dir',
      dataDir,
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, STRATUS_FROM_SOURCE: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  await new Promise<void>((res, rej) => {
    const timer = setTimeout(
      () => rej(new Error(`stratus did not start in time:\n${out}`)),
      opts.startTimeoutMs ?? 30_000,
    );
    // Detached once started: the output keeps growing, and scanning all of it for every chunk
    // made a long-running cloud's logs cost its test (or bench) quadratic CPU.
    const check = () => {
      if (/ started \(host /.test(out)) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        res();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      rej(new Error(`stratus exited with ${code} before starting:\n${out}`));
    });
  });

  return {
    dataDir,
    configFile,
    child,
    ports,
    url(name) {
      const port = ports[name];
      if (port === undefined) throw new Error(`no ${name} listener in this process`);
      return `http://127.0.0.1:${port}`;
    },
    output: () => out,
    async stop(stopOpts = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(killer);
      if (ownDataDir && !stopOpts.keepData) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
