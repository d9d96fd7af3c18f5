/**
 * A handle on one running QEMU process, whether this agent started it or re-attached to it:
 * its QMP session, its console log, its exit, and the escalating stop sequence.
 */
import type { ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';
import { TimeoutError } from '../../../common/errors.js';
import { sleep } from '../../../common/deadline.js';
import type { ConsoleLog } from './console-log.js';
import type { MachineSpec } from './machine-spec.js';
import { processState, qemuIdentityMismatch } from './process-identity.js';
import type { QmpClient } from './qmp-client.js';
import type { QmpEventData } from './qmp-event.js';
import type { RunDirLayout } from './run-dir.js';

/** How a machine's process ended. `code`/`signal` are known only to the process's parent. */
export interface MachineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last SHUTDOWN event seen on QMP, if any (e.g. `guest-shutdown`, `host-qmp-quit`). */
  shutdown: QmpEventData['SHUTDOWN'] | undefined;
}

/** How often the ACPI power button is pressed again while waiting for a clean shutdown. */
const POWERDOWN_RETRY_MS = 10_000;

/** The step of the stop sequence that ended the process. */
export type StopStep = 'already-stopped' | 'powerdown' | 'quit' | 'sigterm' | 'sigkill';

/** Outcome of QemuMachine.stop. */
export interface StopResult {
  step: StopStep;
  exit: MachineExit;
  elapsedMs: number;
}

/** Deadlines of the stop sequence, each step waiting this long for the process to end. */
export interface StopTimeouts {
  /** ACPI power button → guest powers off (Nova's `[DEFAULT] shutdown_timeout`, 60 s); 0 skips. */
  shutdownTimeoutMs: number;
  quitTimeoutMs: number;
  termTimeoutMs: number;
  killTimeoutMs: number;
}

/** Everything a QemuMachine is built from. */
export interface QemuMachineInit {
  spec: MachineSpec;
  paths: RunDirLayout;
  pid: number;
  /** Present when this agent spawned the process (then exit codes are known). */
  child?: ChildProcess;
  qmp?: QmpClient;
  console: ConsoleLog;
  stopTimeouts: StopTimeouts;
  /** Deadline of the QMP commands the machine sends itself. */
  qmpCommandTimeoutMs: number;
  rotateIntervalMs?: number;
  exitPollMs?: number;
  logger?: Logger;
}

/** One running (or just ended) QEMU process of an instance. */
export class QemuMachine {
  /** The spec the process was started with. */
  readonly spec: MachineSpec;
  /** Its run directory. */
  readonly paths: RunDirLayout;
  /** The QEMU pid. */
  readonly pid: number;
  /** The serial console log. */
  readonly console: ConsoleLog;
  /** Resolves once the process has ended (never rejects). */
  readonly exited: Promise<MachineExit>;

  private readonly qmpClient: QmpClient | undefined;
  private readonly child: ChildProcess | undefined;
  private readonly init: QemuMachineInit;
  private lastShutdown: QmpEventData['SHUTDOWN'] | undefined;
  private hasExited = false;
  private readonly stopWatching = new AbortController();

  constructor(init: QemuMachineInit) {
    this.init = init;
    this.spec = init.spec;
    this.paths = init.paths;
    this.pid = init.pid;
    this.console = init.console;
    this.child = init.child;
    this.qmpClient = init.qmp;
    this.qmpClient?.onEvent((e) => {
      if (e.event === 'SHUTDOWN') this.lastShutdown = e.data;
    });
    this.exited = this.watchExit();
    const rotate = setInterval(() => {
      this.console.rotateIfNeeded().catch((err: unknown) => {
        this.init.logger?.warn({ err, pid: this.pid }, 'console log rotation failed');
      });
    }, init.rotateIntervalMs ?? 1000);
    rotate.unref();
    this.stopWatching.signal.addEventListener('abort', () => clearInterval(rotate));
  }

  /** Whether the process is still running (as far as this handle has observed). */
  get alive(): boolean {
    return !this.hasExited;
  }

  /** The QMP session; throws if re-attaching could not reconnect it. */
  get qmp(): QmpClient {
    if (!this.qmpClient) throw new Error(`machine ${this.spec.name} has no QMP session`);
    return this.qmpClient;
  }

  /** QEMU's run state (`running`, `paused`, `inmigrate`, `postmigrate`, ...). */
  async status(): Promise<string> {
    const r = await this.qmp.execute<{ status: string }>('query-status', undefined, {
      timeoutMs: this.init.qmpCommandTimeoutMs,
    });
    return r.status;
  }

  /** Pauses the vCPUs (`stop`). */
  async pause(): Promise<void> {
    await this.qmp.execute('stop', undefined, { timeoutMs: this.init.qmpCommandTimeoutMs });
  }

  /** Resumes the vCPUs (`cont`). */
  async resume(): Promise<void> {
    await this.qmp.execute('cont', undefined, { timeoutMs: this.init.qmpCommandTimeoutMs });
  }

  /** Presses the ACPI power button; the guest decides what happens. */
  async powerdown(): Promise<void> {
    await this.qmp.execute('system_powerdown', undefined, {
      timeoutMs: this.init.qmpCommandTimeoutMs,
    });
  }

  /**
   * Stops the process: ACPI powerdown and wait, then QMP `quit`, then SIGTERM, then SIGKILL,
   * each step bounded by its deadline. A step that cannot be taken (no QMP) falls through.
   */
  async stop(overrides: Partial<StopTimeouts> = {}): Promise<StopResult> {
    const t = { ...this.init.stopTimeouts, ...overrides };
    const started = performance.now();
    if (!this.alive) return { step: 'already-stopped', exit: await this.exited, elapsedMs: 0 };
    // Each step's deadline covers sending its command and waiting for the exit.
    const steps: [StopStep, (ms: number) => Promise<void>, number][] = [
      ['powerdown', (ms) => this.qmpCommand('system_powerdown', ms), t.shutdownTimeoutMs],
      ['quit', (ms) => this.quitQuietly(ms), t.quitTimeoutMs],
      ['sigterm', () => this.signal('SIGTERM'), t.termTimeoutMs],
      ['sigkill', () => this.signal('SIGKILL'), t.killTimeoutMs],
    ];
    for (const [step, act, ms] of steps) {
      if (ms <= 0) continue;
      const stepStart = performance.now();
      try {
        await act(Math.min(ms, this.init.qmpCommandTimeoutMs));
      } catch (err) {
        this.init.logger?.warn({ err, step, pid: this.pid }, 'stop step failed; escalating');
      }
      if (await this.waitForStep(step, act, ms, stepStart)) {
        const elapsedMs = Math.round(performance.now() - started);
        this.init.logger?.info({ pid: this.pid, step, elapsedMs }, 'machine stopped');
        return { step, exit: await this.exited, elapsedMs };
      }
    }
    if (!this.alive) {
      return { step: 'sigkill', exit: await this.exited, elapsedMs: performance.now() - started };
    }
    throw new TimeoutError(`QEMU pid ${this.pid} survived SIGKILL`, {
      details: { what: 'qemu stop', pid: this.pid },
    });
  }

  /**
   * Waits for the exit until the step's deadline. The ACPI button is pressed again every
   * POWERDOWN_RETRY_MS, as Nova's clean shutdown does: a guest busy or loaded enough may miss
   * one press, and a second costs nothing.
   */
  private async waitForStep(
    step: StopStep,
    act: (ms: number) => Promise<void>,
    ms: number,
    stepStart: number,
  ): Promise<boolean> {
    for (;;) {
      const left = Math.max(0, ms - (performance.now() - stepStart));
      const slice = step === 'powerdown' ? Math.min(left, POWERDOWN_RETRY_MS) : left;
      if (await this.waitForExit(slice)) return true;
      if (slice >= left) return false;
      await act(Math.min(left - slice, this.init.qmpCommandTimeoutMs)).catch(() => undefined);
    }
  }

  /** Sends QMP `quit`; the reply may lose the race with the socket closing, which is success. */
  async quitQuietly(timeoutMs = this.init.qmpCommandTimeoutMs): Promise<void> {
    try {
      await this.qmp.execute('quit', undefined, { timeoutMs });
    } catch (err) {
      if (!this.qmp.closed) throw err;
    }
  }

  private async qmpCommand(command: string, timeoutMs: number): Promise<void> {
    await this.qmp.execute(command, undefined, { timeoutMs });
  }

  /** Resolves true once the process has exited, false when `ms` pass first. */
  async waitForExit(ms: number): Promise<boolean> {
    if (!this.alive) return true;
    const ac = new AbortController();
    const timer = sleep(ms, ac.signal).then(
      () => false,
      () => true,
    );
    try {
      return await Promise.race([this.exited.then(() => true), timer]);
    } finally {
      ac.abort(); // do not hold the event loop for the rest of the deadline
    }
  }

  /**
   * Forgets the process without stopping it: closes QMP and stops watching. What an agent that
   * shuts down (or hands over) does; a new supervisor can re-attach from the run directory.
   */
  detach(): void {
    this.stopWatching.abort();
    this.qmpClient?.close();
    this.child?.removeAllListeners('exit');
  }

  /** Signals the process, re-checking its identity first when we are not its parent. */
  private async signal(sig: NodeJS.Signals): Promise<void> {
    if (!this.alive) return;
    if (this.child) {
      this.child.kill(sig);
      return;
    }
    const mismatch = await qemuIdentityMismatch(this.pid, {
      uuid: this.spec.uuid,
      qmpSocket: this.paths.qmpSocket,
    });
    if (mismatch) {
      this.init.logger?.warn({ pid: this.pid, mismatch }, 'not signalling: pid is not ours');
      return;
    }
    process.kill(this.pid, sig);
  }

  private watchExit(): Promise<MachineExit> {
    const done = (code: number | null, signal: NodeJS.Signals | null): MachineExit => {
      this.hasExited = true;
      this.stopWatching.abort();
      this.qmpClient?.close();
      return { code, signal, shutdown: this.lastShutdown };
    };
    if (this.child) {
      const child = this.child;
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          resolve(done(child.exitCode, child.signalCode));
          return;
        }
        child.once('exit', (code, signal) => resolve(done(code, signal)));
      });
    }
    // Not our child: poll /proc (a reaped pid is gone, an unreaped one a zombie). A QMP close is
    // the usual first sign of an exit, so it triggers a check at once.
    return new Promise((resolve) => {
      const signal = this.stopWatching.signal;
      let qmpClosed = false;
      const closed = new Promise<void>((r) => this.qmpClient?.onClose(() => r())).then(() => {
        qmpClosed = true;
      });
      const check = async (): Promise<void> => {
        while (!signal.aborted) {
          if ((await processState(this.pid)) !== 'alive') {
            resolve(done(null, null));
            return;
          }
          // After the close, the process needs a few ms to be gone: poll briefly, then normally.
          const ms = qmpClosed ? 20 : (this.init.exitPollMs ?? 200);
          const poll = sleep(ms, signal).catch(() => undefined);
          await Promise.race(qmpClosed ? [poll] : [poll, closed]);
        }
      };
      void check();
    });
  }
}
