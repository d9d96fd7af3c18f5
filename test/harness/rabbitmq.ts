/**
 * Starts a private RabbitMQ node for tests, as /work/shared/notes/servers.md describes: its own
 * temp dir, free loopback ports, a unique node name, its own process group. It never touches a
 * system node and can run beside another copy of itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** Where Debian's rabbitmq-server package puts the server script. */
export const RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server';

/** A running private broker. */
export interface RabbitHandle {
  /** `rabbit://guest:guest@127.0.0.1:PORT/` */
  url: string;
  /** The AMQP port. */
  port: number;
  /** Stops the broker and removes its temp dir. */
  stop(): Promise<void>;
  /** Stops the broker and starts it again on the same port and data dir. */
  restart(): Promise<void>;
  /** Stops the broker, keeping its data dir, so a test can watch clients cope with the outage. */
  stopBroker(): Promise<void>;
  /** Starts the broker again after stopBroker(), on the same port and data dir. */
  startBroker(): Promise<void>;
  /** Freezes the broker (SIGSTOP): sockets stay open but nothing answers, as in a partition. */
  pauseBroker(): void;
  /** Thaws a paused broker (SIGCONT). */
  resumeBroker(): void;
}

/** True when the rabbitmq-server binary is installed. */
export function rabbitAvailable(): boolean {
  return existsSync(RABBITMQ_SERVER);
}

/**
 * The `skip` option for RabbitMQ suites: false when the broker can run, else the reason to skip.
 * Under CI=true a missing broker throws instead, so CI can never pass by skipping.
 */
export function rabbitSkipReason(): string | false {
  if (rabbitAvailable()) return false;
  const reason = `rabbitmq-server not installed (${RABBITMQ_SERVER} missing); apt-get install rabbitmq-server`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}

const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

/** Starts a private broker and waits until its AMQP port accepts connections. */
export async function startRabbit(): Promise<RabbitHandle> {
  if (!rabbitAvailable()) throw new Error(`${RABBITMQ_SERVER} is not installed`);
  const dir = mkdtempSync(join(tmpdir(), 'stratus-rabbit-'));
  const port = await freePortPair();
  const nodeName = `stratus-test-${port}-${process.pid}@localhost`;
  mkdirSync(join(dir, 'mnesia'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'rabbitmq.conf'), `listeners.tcp.default = 127.0.0.1:${port}\n`);
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  const env = {
    ...process.env,
    HOME: dir,
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_CONF_ENV_FILE: '/dev/null',
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(port + 20_000),
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'logs'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: '-kernel inet_dist_use_interface {127,0,0,1}',
  };

  let child: ChildProcess | undefined;
  // If the test process dies without calling stop(), do not leave a broker behind.
  const onExit = () => {
    if (child?.pid) killGroup(child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  const startBroker = async () => {
    if (child) throw new Error('broker already running');
    // detached: the child calls setsid(), so it leads a new process group (pgid = pid) that
    // stopBroker() can signal as a whole, exactly like `setsid rabbitmq-server`.
    const proc = spawn(RABBITMQ_SERVER, [], {
      env,
      detached: true,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    // Unref'd so a test that forgets stop() still lets node exit; the exit hook then kills it.
    proc.unref();
    child = proc;
    const exited = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    const ready = await Promise.race([
      waitForPort(port, START_TIMEOUT_MS).then(() => true),
      exited.then(() => false),
    ]);
    if (!ready) {
      child = undefined;
      throw new Error(`rabbitmq-server exited during start; log:\n${logTail(dir, nodeName)}`);
    }
  };

  const stopBroker = async () => {
    const proc = child;
    child = undefined;
    if (!proc?.pid) return;
    killGroup(proc.pid, 'SIGTERM');
    killGroup(proc.pid, 'SIGCONT'); // a paused broker must wake to act on SIGTERM
    if (!(await groupGone(proc.pid, STOP_GRACE_MS))) {
      killGroup(proc.pid, 'SIGKILL');
      await groupGone(proc.pid, STOP_GRACE_MS);
    }
  };

  try {
    await startBroker();
  } catch (err) {
    process.off('exit', onExit);
    await stopBroker();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url: `rabbit://guest:guest@127.0.0.1:${port}/`,
    port,
    stopBroker,
    startBroker,
    pauseBroker: () => {
      if (child?.pid) killGroup(child.pid, 'SIGSTOP');
    },
    resumeBroker: () => {
      if (child?.pid) killGroup(child.pid, 'SIGCONT');
    },
    restart: async () => {
      await stopBroker();
      await startBroker();
    },
    stop: async () => {
      await stopBroker();
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A free loopback port whose distribution port (port + 20000) is free too. */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await bindFree(0);
    if (port + 20_000 <= 65_535 && (await bindFree(port + 20_000).catch(() => 0)) !== 0) {
      return port;
    }
  }
  throw new Error('no free loopback port pair found');
}

function bindFree(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const addr = srv.address();
      const found = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(found));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await canConnect(port)) return;
    await delay(100);
  }
  throw new Error(`rabbitmq-server did not open port ${port} within ${ms} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function groupGone(pgid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true;
    }
    await delay(100);
  }
  return false;
}

function logTail(dir: string, nodeName: string): string {
  try {
    const text = readFileSync(join(dir, 'logs', `${nodeName}.log`), 'utf8');
    return text.split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}
