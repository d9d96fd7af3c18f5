/**
 * A private PostgreSQL server for tests, started as /work/shared/notes/servers.md describes:
 * a temp dir owned by the `postgres` user (when running as root), `initdb -A trust -U stratus`,
 * `pg_ctl start` on a free loopback port with the unix socket inside the temp dir, `fsync=off`.
 * One server per test file is cheap (about a second); each suite then takes a fresh database
 * with `createDatabase()`. Nothing depends on a system service, so runs can overlap.
 *
 * When the binaries are missing, `postgresSkip()` gives a reason to skip — except under CI=true,
 * where it returns false so that the tests run and fail loudly in startPostgres.
 */
import { spawnSync, execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileP = promisify(execFile);

/** A running private PostgreSQL server. */
export interface PostgresServer {
  /** The URL of database `dbName` on this server, as user `stratus` over loopback TCP. */
  url(dbName: string): string;
  /** Creates a fresh, uniquely named database and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

function binDir(): string {
  return process.env.STRATUS_PG_BIN ?? '/usr/lib/postgresql/15/bin';
}

/** True when the PostgreSQL server binaries (initdb, pg_ctl) are installed. */
export function postgresAvailable(): boolean {
  const dir = binDir();
  if (!existsSync(join(dir, 'initdb')) || !existsSync(join(dir, 'pg_ctl'))) return false;
  // As root, initdb must run as `postgres`; without that user the server cannot start.
  return !isRoot() || postgresUid() !== undefined;
}

/**
 * The `skip` option for PostgreSQL tests: a message when the server cannot be started here, or
 * false. Under CI=true it is always false, so missing binaries fail the run instead of hiding it.
 */
export function postgresSkip(): string | false {
  if (postgresAvailable() || process.env.CI === 'true') return false;
  return `PostgreSQL 15 server binaries not found in ${binDir()} (install the postgresql package or set STRATUS_PG_BIN); skipping`;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function postgresUid(): { uid: number; gid: number } | undefined {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return undefined;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Runs a server binary, as `postgres` when we are root (initdb and postgres refuse root). */
async function runPg(tool: string, args: string[]): Promise<void> {
  const exe = join(binDir(), tool);
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  try {
    await execFileP(cmd, argv, { timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${tool} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, {
      cause: err,
    });
  }
}

/** A free loopback port, found by binding port 0 (another process may still take it: we retry). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Starts a private PostgreSQL server; throws with the reason when it cannot. */
export async function startPostgres(): Promise<PostgresServer> {
  if (!postgresAvailable()) {
    throw new Error(
      `cannot start PostgreSQL: server binaries not found in ${binDir()} ` +
        `(or no 'postgres' user to run them as root)`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'stratus-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  if (isRoot()) {
    const owner = postgresUid()!;
    chownSync(dir, owner.uid, owner.gid);
  }
  const ctl = (...args: string[]) => runPg('pg_ctl', ['-D', data, ...args]);
  let port = 0;
  try {
    // UTF8 and the C locale make the server behave the same on every machine.
    await runPg('initdb', [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'stratus',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      try {
        await ctl(
          '-l',
          log,
          '-w',
          '-t',
          '30',
          'start',
          '-o',
          `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
        );
        break;
      } catch (err) {
        // The port may have been taken between probing and binding; try another one.
        if (attempt >= 2) throw err;
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  // A crashed test run must not leave a server behind: stop it synchronously at exit.
  const onExit = () => {
    const exe = join(binDir(), 'pg_ctl');
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    if (isRoot()) spawnSync('runuser', ['-u', 'postgres', '--', exe, ...args]);
    else spawnSync(exe, args);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  const url = (dbName: string) =>
    `postgresql://stratus@127.0.0.1:${port}/${encodeURIComponent(dbName)}`;
  let created = 0;
  let stopped = false;
  return {
    url,
    async createDatabase(prefix = 'test') {
      created += 1;
      // The server is private to this process, so a counter makes names unique.
      const name = `${prefix
        .replace(/[^a-z0-9_]/gi, '_')
        .toLowerCase()
        .slice(0, 40)}_${created}`;
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        // Identifier quoting: `name` is already restricted to [a-z0-9_].
        await client.query(`create database "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      try {
        await ctl('-m', 'fast', '-w', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
