/**
 * Starts QEMU machines detached from the agent (own session, output to files, so they outlive
 * it), records each in its run directory, and re-attaches to them after an agent restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { ConflictError, StratusError } from '../../../common/errors.js';
import { buildQemuArgv } from './command-line.js';
import { ConsoleLog } from './console-log.js';
import type { MachineSpec } from './machine-spec.js';
import { validateMachineSpec } from './machine-spec.js';
import { qemuIdentityMismatch } from './process-identity.js';
import { QmpClient } from './qmp-client.js';
import { QemuMachine, type StopTimeouts } from './qemu-machine.js';
import { runDirLayout, type RunDirLayout } from './run-dir.js';

/** Options of the supervisor; the driver maps `[compute]`/`[libvirt]`-style config onto these. */
export interface QemuSupervisorOptions {
  /** Parent of the per-instance run directories. */
  runBaseDir: string;
  qemuBinary?: string;
  /** Wait for the guest after the ACPI power button (default 60 s, Nova's shutdown_timeout). */
  shutdownTimeoutMs?: number;
  quitTimeoutMs?: number;
  termTimeoutMs?: number;
  killTimeoutMs?: number;
  /** Bound of the console log (live + rotated), default 1 MiB. */
  consoleLogMaxBytes?: number;
  qmpConnectTimeoutMs?: number;
  qmpCommandTimeoutMs?: number;
  logger?: Logger;
}

/** A run directory whose machine is no longer running (or is not ours any more). */
export interface DeadMachine {
  runDir: string;
  spec: MachineSpec | undefined;
  reason: string;
  /** The console log, still readable for post-mortems. */
  console: ConsoleLog;
}

/** Outcome of re-attaching to one run directory. */
export type ReattachResult =
  { kind: 'attached'; machine: QemuMachine } | { kind: 'dead'; dead: DeadMachine };

/** Thrown when QEMU exits or never answers QMP during start; carries QEMU's own output. */
export class QemuStartError extends StratusError {
  constructor(message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { code: 'qemu.start_failed', ...opts });
  }
}

/** Starts, tracks and re-attaches QEMU processes under one run base directory. */
export class QemuSupervisor {
  private readonly o: Required<Omit<QemuSupervisorOptions, 'logger'>> & { logger?: Logger };

  constructor(opts: QemuSupervisorOptions) {
    this.o = {
      qemuBinary: 'qemu-system-x86_64',
      shutdownTimeoutMs: 60_000,
      quitTimeoutMs: 10_000,
      termTimeoutMs: 10_000,
      killTimeoutMs: 10_000,
      consoleLogMaxBytes: 1024 * 1024,
      qmpConnectTimeoutMs: 30_000,
      qmpCommandTimeoutMs: 30_000,
      ...opts,
    };
  }

  /** The run directory a machine gets by default (`<base>/<uuid>`), or `<base>/<name>`. */
  runDirFor(name: string): string {
    return join(this.o.runBaseDir, name);
  }

  /**
   * Starts `spec` in run directory `runDirName` (default: the uuid; a migration target on the
   * same host needs another one) and returns once QMP is negotiated.
   */
  async start(spec: MachineSpec, opts: { runDirName?: string } = {}): Promise<QemuMachine> {
    validateMachineSpec(spec);
    const paths = runDirLayout(this.runDirFor(opts.runDirName ?? spec.uuid));
    const running = await this.readPid(paths);
    if (
      running !== undefined &&
      !(await qemuIdentityMismatch(running, this.identity(spec, paths)))
    ) {
      throw new ConflictError(`machine ${spec.uuid} is already running as pid ${running}`, {
        code: 'qemu.already_running',
      });
    }
    await mkdir(paths.dir, { recursive: true, mode: 0o700 });
    // Stale files of an earlier process: sockets would make bind fail, logs would mislead.
    for (const f of [paths.pidFile, paths.qmpSocket, paths.consoleSocket, paths.vncSocket]) {
      await rm(f, { force: true });
    }
    await writeAtomic(paths.specFile, `${JSON.stringify(spec, null, 2)}\n`);
    const argv = buildQemuArgv(spec, paths);
    this.o.logger?.info({ uuid: spec.uuid, argv }, 'starting qemu');

    // Files, not pipes, for QEMU's output: a pipe would break (SIGPIPE) when the agent dies.
    const out = openSync(paths.qemuLog, 'a');
    const child = spawn(this.o.qemuBinary, argv, {
      detached: true,
      stdio: ['ignore', out, out],
      cwd: paths.dir,
    });
    closeSync(out);
    child.unref();
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) =>
        reject(
          new QemuStartError(`cannot run ${this.o.qemuBinary}: ${err.message}`, { cause: err }),
        ),
      );
    });
    const pid = child.pid!;
    await writeAtomic(paths.pidFile, `${pid}\n`);

    const exitedEarly = new AbortController();
    const onExit = () => exitedEarly.abort(new Error('QEMU exited during start'));
    child.once('exit', onExit);
    let qmp: QmpClient;
    try {
      qmp = await QmpClient.connect(paths.qmpSocket, {
        connectTimeoutMs: this.o.qmpConnectTimeoutMs,
        commandTimeoutMs: this.o.qmpCommandTimeoutMs,
        signal: exitedEarly.signal,
        ...(this.o.logger ? { logger: this.o.logger } : {}),
      });
    } catch (err) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
      const output = await readFile(paths.qemuLog, 'utf8').catch(() => '');
      throw new QemuStartError(
        `QEMU for ${spec.name} failed to start: ${output.trim().split('\n').slice(-5).join(' | ') || String(err)}`,
        { details: { uuid: spec.uuid, exit_code: child.exitCode }, cause: err },
      );
    } finally {
      child.off('exit', onExit);
    }
    return this.machine({ spec, paths, pid, child, qmp });
  }

  /**
   * Re-attaches to the machine of one run directory: checks that its pid is still the QEMU of
   * that instance (not a recycled pid) and reconnects QMP; otherwise reports it dead.
   */
  async reattach(runDir: string): Promise<ReattachResult> {
    const paths = runDirLayout(runDir);
    const console = new ConsoleLog(paths.consoleLog, this.o.consoleLogMaxBytes);
    const spec = await readFile(paths.specFile, 'utf8')
      .then((t) => JSON.parse(t) as MachineSpec)
      .catch(() => undefined);
    const dead = (reason: string): ReattachResult => {
      this.o.logger?.info({ runDir, reason }, 'machine found dead');
      return { kind: 'dead', dead: { runDir, spec, reason, console } };
    };
    if (!spec) return dead('no readable spec.json');
    const pid = await this.readPid(paths);
    if (pid === undefined) return dead('no pid file');
    const mismatch = await qemuIdentityMismatch(pid, this.identity(spec, paths));
    if (mismatch) return dead(mismatch);
    let qmp: QmpClient | undefined;
    try {
      qmp = await QmpClient.connect(paths.qmpSocket, {
        connectTimeoutMs: Math.min(this.o.qmpConnectTimeoutMs, 10_000),
        commandTimeoutMs: this.o.qmpCommandTimeoutMs,
        ...(this.o.logger ? { logger: this.o.logger } : {}),
      });
    } catch (err) {
      // Still ours and alive, but QMP is unreachable: attach anyway, stop() falls to signals.
      this.o.logger?.warn({ err, runDir, pid }, 'QMP reconnect failed');
    }
    return {
      kind: 'attached',
      machine: this.machine({ spec, paths, pid, ...(qmp ? { qmp } : {}) }),
    };
  }

  /** Re-attaches to every run directory under the base; returns the live and the dead. */
  async reattachAll(): Promise<{ attached: QemuMachine[]; dead: DeadMachine[] }> {
    const entries = await readdir(this.o.runBaseDir, { withFileTypes: true }).catch(() => []);
    // Only directories that hold a spec or a pid file are run directories.
    const runDirs = entries.filter(
      (e) =>
        e.isDirectory() &&
        ['spec.json', 'qemu.pid'].some((f) => existsSync(join(this.o.runBaseDir, e.name, f))),
    );
    const results = await Promise.all(
      runDirs.map((e) => this.reattach(join(this.o.runBaseDir, e.name))),
    );
    return {
      attached: results.flatMap((r) => (r.kind === 'attached' ? [r.machine] : [])),
      dead: results.flatMap((r) => (r.kind === 'dead' ? [r.dead] : [])),
    };
  }

  /** Deletes a run directory; refuses while its machine still runs. */
  async removeRunDir(runDir: string): Promise<void> {
    const r = await this.runningPid(runDir);
    if (r) throw new ConflictError(`machine in ${runDir} is still running as pid ${r}`);
    await rm(runDir, { recursive: true, force: true });
  }

  private async runningPid(runDir: string): Promise<number | undefined> {
    const paths = runDirLayout(runDir);
    const spec = await readFile(paths.specFile, 'utf8')
      .then((t) => JSON.parse(t) as MachineSpec)
      .catch(() => undefined);
    const pid = await this.readPid(paths);
    if (!spec || pid === undefined) return undefined;
    return (await qemuIdentityMismatch(pid, this.identity(spec, paths))) ? undefined : pid;
  }

  private machine(init: {
    spec: MachineSpec;
    paths: RunDirLayout;
    pid: number;
    child?: ChildProcess;
    qmp?: QmpClient;
  }): QemuMachine {
    const stopTimeouts: StopTimeouts = {
      shutdownTimeoutMs: this.o.shutdownTimeoutMs,
      quitTimeoutMs: this.o.quitTimeoutMs,
      termTimeoutMs: this.o.termTimeoutMs,
      killTimeoutMs: this.o.killTimeoutMs,
    };
    return new QemuMachine({
      ...init,
      console: new ConsoleLog(init.paths.consoleLog, this.o.consoleLogMaxBytes),
      stopTimeouts,
      qmpCommandTimeoutMs: Math.min(this.o.qmpCommandTimeoutMs, 10_000),
      ...(this.o.logger ? { logger: this.o.logger } : {}),
    });
  }

  private identity(spec: MachineSpec, paths: RunDirLayout) {
    return { uuid: spec.uuid, qmpSocket: paths.qmpSocket };
  }

  private async readPid(paths: RunDirLayout): Promise<number | undefined> {
    const text = await readFile(paths.pidFile, 'utf8').catch(() => undefined);
    const pid = text === undefined ? NaN : Number.parseInt(text.trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  }
}

/** Writes via a temp file and rename, so a crash never leaves a half-written pid or spec. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}
