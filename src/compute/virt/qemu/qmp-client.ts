/**
 * A small QMP client over a unix socket: newline-delimited JSON, replies matched by `id`, a
 * deadline on every command, events as a typed stream. One client per QMP socket (QEMU 7.2 serves
 * one connection per `-qmp` chardev at a time).
 */
import net from 'node:net';
import type { Logger } from 'pino';
import { TimeoutError } from '../../../common/errors.js';
import { sleep, withDeadline } from '../../../common/deadline.js';
import { QmpClosedError, QmpError, QmpProtocolError } from './qmp-errors.js';
import { parseQmpEvent, type QmpEvent } from './qmp-event.js';

/** Options of QmpClient.connect. */
export interface QmpConnectOptions {
  /** Deadline for socket + greeting + capabilities negotiation (default 10 s). */
  connectTimeoutMs?: number;
  /** Default deadline of each command (default 30 s); `execute` can override it. */
  commandTimeoutMs?: number;
  /** Pause between connection attempts while the socket does not exist yet (default 50 ms). */
  retryIntervalMs?: number;
  /** Aborting it stops the connection attempts (e.g. when the QEMU process has exited). */
  signal?: AbortSignal;
  logger?: Logger;
}

/** The greeting QEMU sends first. */
export interface QmpGreeting {
  version: { qemu: { major: number; minor: number; micro: number }; package: string };
  capabilities: string[];
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

type EventListener = (e: QmpEvent) => void;

const RETRYABLE = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN']);

/** A connected, negotiated QMP session. */
export class QmpClient {
  /** What QEMU said in its greeting. */
  greeting: QmpGreeting = {
    version: { qemu: { major: 0, minor: 0, micro: 0 }, package: '' },
    capabilities: [],
  };

  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<EventListener>();
  private readonly closeListeners = new Set<(err?: Error) => void>();
  private nextId = 1;
  private buffer = '';
  private isClosed = false;
  private greetingWaiter: ((msg: Record<string, unknown>) => void) | undefined;

  private constructor(
    private readonly socket: net.Socket,
    private readonly commandTimeoutMs: number,
    private readonly logger: Logger | undefined,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (err) => this.shutdown(err));
    socket.on('close', () => this.shutdown());
  }

  /** Connects to `path` (retrying while the socket appears), reads the greeting, negotiates. */
  static async connect(path: string, opts: QmpConnectOptions = {}): Promise<QmpClient> {
    const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    return withDeadline(`QMP connect to ${path}`, connectTimeoutMs, async (deadline) => {
      const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
      const socket = await connectWithRetry(path, opts.retryIntervalMs ?? 50, signal);
      const client = new QmpClient(socket, opts.commandTimeoutMs ?? 30_000, opts.logger);
      try {
        await client.negotiate(signal);
      } catch (err) {
        client.close();
        throw err;
      }
      return client;
    });
  }

  /** Whether the connection is closed; every later command fails with QmpClosedError. */
  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Sends `command` and resolves with its `return` value. Rejects with QmpError on a QMP error,
   * TimeoutError when no reply comes within the deadline, QmpClosedError when the socket closes.
   * A timed-out command may still run in QEMU: the deadline bounds waiting, not the effect.
   */
  execute<T = unknown>(
    command: string,
    args?: Record<string, unknown>,
    opts: { timeoutMs?: number } = {},
  ): Promise<T> {
    if (this.isClosed) return Promise.reject(new QmpClosedError(command));
    const id = this.nextId++;
    const timeoutMs = opts.timeoutMs ?? this.commandTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new TimeoutError(`QMP command '${command}' timed out after ${timeoutMs} ms`, {
            details: { what: `qmp:${command}`, command, timeout_ms: timeoutMs },
          }),
        );
      }, timeoutMs);
      this.pending.set(id, {
        command,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      const msg =
        args === undefined ? { execute: command, id } : { execute: command, arguments: args, id };
      this.logger?.debug({ qmp: command, id }, 'qmp command');
      this.socket.write(`${JSON.stringify(msg)}\n`);
    });
  }

  /** Registers an event listener; returns the function that removes it. */
  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a listener called once when the connection closes (with the socket error, if any). */
  onClose(listener: (err?: Error) => void): () => void {
    if (this.isClosed) {
      queueMicrotask(() => listener());
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /**
   * Events from now on as an async iterable; it ends when the connection closes or `signal`
   * aborts. Events are queued, so a slow consumer misses none.
   */
  async *events(signal?: AbortSignal): AsyncGenerator<QmpEvent> {
    const queue: QmpEvent[] = [];
    let wake: (() => void) | undefined;
    const off = this.onEvent((e) => {
      queue.push(e);
      wake?.();
    });
    const offClose = this.onClose(() => wake?.());
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        const e = queue.shift();
        if (e) {
          yield e;
          continue;
        }
        if (this.isClosed || signal?.aborted) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    } finally {
      off();
      offClose();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Resolves with the first event matching `match` within `timeoutMs`. Subscribe (call this)
   * before sending the command that triggers the event: QEMU may emit it before the reply.
   */
  waitForEvent<E extends QmpEvent>(
    match: (e: QmpEvent) => e is E,
    timeoutMs: number,
    what: string,
  ): Promise<E>;
  waitForEvent(match: (e: QmpEvent) => boolean, timeoutMs: number, what: string): Promise<QmpEvent>;
  waitForEvent(
    match: (e: QmpEvent) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<QmpEvent> {
    return withDeadline(what, timeoutMs, (signal) => {
      return new Promise<QmpEvent>((resolve, reject) => {
        const cleanup = () => {
          off();
          offClose();
          signal.removeEventListener('abort', cleanup);
        };
        const off = this.onEvent((e) => {
          if (!match(e)) return;
          cleanup();
          resolve(e);
        });
        const offClose = this.onClose(() => {
          cleanup();
          reject(new QmpClosedError(what));
        });
        signal.addEventListener('abort', cleanup);
      });
    });
  }

  /** Closes the connection; pending commands fail with QmpClosedError. Idempotent. */
  close(): void {
    this.socket.destroy();
    this.shutdown();
  }

  private async negotiate(signal: AbortSignal): Promise<void> {
    const greeting = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      const offClose = this.onClose((err) =>
        reject(new QmpProtocolError('QMP socket closed before the greeting', { cause: err })),
      );
      this.greetingWaiter = (msg) => {
        signal.removeEventListener('abort', onAbort);
        offClose();
        resolve(msg);
      };
    });
    const qmp = greeting.QMP as QmpGreeting | undefined;
    if (!qmp || typeof qmp !== 'object') {
      throw new QmpProtocolError(
        `expected a QMP greeting, got ${JSON.stringify(greeting).slice(0, 200)}`,
      );
    }
    this.greeting = qmp;
    await this.execute('qmp_capabilities');
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line !== '') this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch (err) {
      this.logger?.warn({ line: line.slice(0, 200) }, 'qmp: ignoring a line that is not JSON');
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) return;
    const m = msg as Record<string, unknown>;
    if (this.greetingWaiter) {
      const w = this.greetingWaiter;
      this.greetingWaiter = undefined;
      w(m);
      return;
    }
    if (typeof m.event === 'string') {
      const event = parseQmpEvent(m as { event: string });
      this.logger?.debug({ qmp_event: m.event }, 'qmp event');
      for (const l of [...this.listeners]) l(event);
      return;
    }
    const id = m.id;
    const p = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!p) {
      // Late reply to a command that already timed out, or a reply without our id.
      this.logger?.debug({ id }, 'qmp: reply with no pending command');
      return;
    }
    this.pending.delete(id as number);
    if ('return' in m) {
      p.resolve(m.return);
    } else if (m.error && typeof m.error === 'object') {
      const e = m.error as { class?: unknown; desc?: unknown };
      p.reject(new QmpError(p.command, String(e.class ?? 'GenericError'), String(e.desc ?? '')));
    } else {
      p.reject(new QmpProtocolError(`QMP reply to '${p.command}' has neither return nor error`));
    }
  }

  private shutdown(err?: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.socket.destroy();
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new QmpClosedError(p.command, err));
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    for (const l of listeners) l(err);
    this.listeners.clear();
  }
}

async function connectWithRetry(
  path: string,
  intervalMs: number,
  signal: AbortSignal,
): Promise<net.Socket> {
  for (;;) {
    signal.throwIfAborted();
    try {
      return await connectOnce(path, signal);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === undefined || !RETRYABLE.has(code)) throw err;
    }
    // The socket appears ~0.1 s after QEMU starts; until then ENOENT or ECONNREFUSED.
    await sleep(intervalMs, signal);
  }
}

function connectOnce(path: string, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(err);
    });
  });
}
