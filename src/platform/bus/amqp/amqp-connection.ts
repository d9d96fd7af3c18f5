import amqp, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type Message,
  type Options,
} from 'amqplib';
import type { Logger } from 'pino';
import { jitteredBackoff, sleep } from '../../../common/deadline.js';
import { ServiceUnavailableError } from '../../../common/errors.js';
import { describeHost, type AmqpHost, type TransportUrl } from './transport-url.js';

/** One live connection with its two channels; replaced as a whole after any failure. */
export interface AmqpLink {
  readonly model: ChannelModel;
  /** Publishes with broker confirms. */
  readonly publisher: ConfirmChannel;
  /** Carries every consumer. */
  readonly consumer: Channel;
  /** True until the connection or either channel closes. */
  alive: boolean;
  /** Exchanges known to exist on this link, so each is declared once per connection. */
  readonly declared: Set<string>;
}

/** Options of the connection manager. */
export interface AmqpConnectionOptions {
  url: TransportUrl;
  /** AMQP heartbeat in seconds; 0 disables it. */
  heartbeatS: number;
  /** Declares the whole topology on a fresh link; a failure drops the link and retries. */
  onLink: (link: AmqpLink) => Promise<void>;
  /** Gets each mandatory message the broker could not route (it arrives before the confirm). */
  onReturn?: (msg: Message) => void;
  logger?: Logger;
  /** Shown in the broker's management UI. */
  connectionName?: string;
  /** First reconnect delays are drawn from [0, base); they double up to the cap. */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
}

// Unacknowledged deliveries per consumer; bounds what a slow notification listener buffers.
const PREFETCH = 64;
const SOCKET_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Keeps one AMQP connection up: connects to the first broker that answers, and whenever the
 * connection or a channel drops, reconnects with jittered exponential backoff and runs
 * `onLink` again so every exchange, queue and consumer is declared anew. Any channel error
 * drops the whole link, because a closed channel loses its consumers and confirms anyway.
 */
export class AmqpConnection {
  readonly #opts: AmqpConnectionOptions;
  readonly #stop = new AbortController();
  readonly #waiters = new Set<() => void>();
  #link: AmqpLink | undefined;
  #loop: Promise<void> | undefined;
  #hostIndex = 0;
  #lastError = 'not connected yet';
  #onAttemptFailed: ((err: unknown) => void) | undefined;

  constructor(opts: AmqpConnectionOptions) {
    this.#opts = opts;
  }

  /**
   * Starts the connection loop and resolves at the first link. Rejects with a
   * ServiceUnavailableError after `timeoutMs`, or at once when the broker refuses the
   * credentials or vhost (retrying cannot fix configuration).
   */
  async open(timeoutMs: number): Promise<void> {
    if (this.#loop) throw new Error('already opened');
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    this.#onAttemptFailed = (err) => {
      if (/ACCESS.REFUSED|NOT.ALLOWED/.test(String(err))) ac.abort();
    };
    this.#loop = this.#run();
    try {
      await this.waitForLink(ac.signal);
    } catch {
      await this.close();
      throw new ServiceUnavailableError(
        `cannot connect to RabbitMQ at ${this.#hostList()}: ${this.#lastError}`,
        { code: 'bus.unavailable' },
      );
    } finally {
      clearTimeout(timer);
      this.#onAttemptFailed = undefined;
    }
  }

  /** The current link, if connected. */
  get link(): AmqpLink | undefined {
    return this.#link;
  }

  /** Why the last connection attempt or link failed, for error messages. */
  get lastError(): string {
    return this.#lastError;
  }

  /** Resolves with the live link, waiting for a reconnect if needed; rejects when `signal` aborts. */
  waitForLink(signal: AbortSignal): Promise<AmqpLink> {
    if (this.#link) return Promise.resolve(this.#link);
    return new Promise((resolve, reject) => {
      const done = () => {
        this.#waiters.delete(wake);
        signal.removeEventListener('abort', onAbort);
      };
      const wake = () => {
        if (this.#link) {
          done();
          resolve(this.#link);
        } else if (this.#stop.signal.aborted) {
          done();
          reject(new ServiceUnavailableError('the bus is closed', { code: 'bus.closed' }));
        }
      };
      const onAbort = () => {
        done();
        reject(signal.reason);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(wake);
      wake();
    });
  }

  /**
   * Publishes one message and resolves when the broker confirms it. While disconnected it waits
   * for the next link; a publish whose link dies before the confirm is sent again on the next
   * link (so a message may arrive twice). Rejects when `signal` aborts or the broker nacks.
   */
  async publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    props: Options.Publish,
    signal: AbortSignal,
    prepare?: (link: AmqpLink) => Promise<void>,
  ): Promise<void> {
    for (;;) {
      const link = await this.waitForLink(signal);
      try {
        if (prepare) await prepare(link);
        await abortable(confirmPublish(link.publisher, exchange, routingKey, body, props), signal);
        return;
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        if (err instanceof Error && err.message === 'message nacked') {
          throw new ServiceUnavailableError('RabbitMQ refused the message', {
            code: 'bus.nacked',
          });
        }
        // amqplib fails pending confirms just before it reports the close: look a turn later.
        await new Promise((r) => setImmediate(r));
        if (link.alive) throw err;
        this.#opts.logger?.debug({ err }, 'publish interrupted by a lost link; retrying');
      }
    }
  }

  /** Stops reconnecting and closes the connection. */
  async close(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    this.#stop.abort();
    for (const wake of [...this.#waiters]) wake();
    const link = this.#link;
    this.#link = undefined;
    if (link) await link.model.close().catch(() => undefined);
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { logger } = this.#opts;
    let attempt = 0;
    while (!this.#stop.signal.aborted) {
      try {
        const { link, lost } = await this.#connect();
        if (this.#stop.signal.aborted) {
          await link.model.close().catch(() => undefined);
          break;
        }
        attempt = 0;
        this.#link = link;
        for (const wake of [...this.#waiters]) wake();
        logger?.info(
          { broker: describeHost(this.#opts.url.hosts[this.#hostIndex]!) },
          'bus connected',
        );
        await lost;
        if (this.#stop.signal.aborted) break;
        logger?.warn({ reason: this.#lastError }, 'bus connection lost; reconnecting');
      } catch (err) {
        this.#lastError = err instanceof Error ? err.message : String(err);
        this.#onAttemptFailed?.(err);
        logger?.[attempt === 0 ? 'warn' : 'debug'](
          { err, attempt },
          'bus connection attempt failed',
        );
      }
      const wait = jitteredBackoff(
        attempt++,
        this.#opts.reconnectBaseMs ?? 250,
        this.#opts.reconnectCapMs ?? 5_000,
      );
      await sleep(wait, this.#stop.signal).catch(() => undefined);
    }
  }

  /** Tries each broker once, starting with the one that worked last. */
  async #connect(): Promise<{ link: AmqpLink; lost: Promise<void> }> {
    const { hosts } = this.#opts.url;
    let lastErr: unknown;
    for (let i = 0; i < hosts.length; i++) {
      const index = (this.#hostIndex + i) % hosts.length;
      try {
        const result = await this.#connectHost(hosts[index]!);
        this.#hostIndex = index;
        return result;
      } catch (err) {
        lastErr = err;
        if (this.#stop.signal.aborted) break;
      }
    }
    throw lastErr;
  }

  async #connectHost(host: AmqpHost): Promise<{ link: AmqpLink; lost: Promise<void> }> {
    const { logger } = this.#opts;
    const model = await amqp.connect(
      {
        protocol: 'amqp',
        hostname: host.hostname,
        port: host.port,
        username: host.username,
        password: host.password,
        vhost: this.#opts.url.vhost,
        heartbeat: this.#opts.heartbeatS,
      },
      {
        timeout: SOCKET_CONNECT_TIMEOUT_MS,
        clientProperties: { connection_name: this.#opts.connectionName ?? 'stratus' },
      },
    );
    let markLost!: () => void;
    const lost = new Promise<void>((resolve) => (markLost = resolve));
    const partial: { model: ChannelModel; alive: boolean; declared: Set<string> } = {
      model,
      alive: true,
      declared: new Set(),
    };
    const drop = (why: string) => {
      if (!partial.alive) return;
      partial.alive = false;
      if (this.#link === (partial as AmqpLink)) this.#link = undefined;
      this.#lastError = why;
      markLost();
      model.close().catch(() => undefined);
    };
    // Without 'error' listeners an emitted error would crash the process.
    model.on('error', (err: Error) => logger?.warn({ err }, 'bus connection error'));
    model.on('close', (err?: Error) => drop(err ? err.message : 'connection closed'));
    model.on('blocked', (reason: string) => logger?.warn({ reason }, 'broker blocked publishing'));
    model.on('unblocked', () => logger?.info('broker unblocked publishing'));
    try {
      const publisher = await model.createConfirmChannel();
      const consumer = await model.createChannel();
      for (const [name, ch] of [
        ['publisher', publisher],
        ['consumer', consumer],
      ] as const) {
        ch.on('error', (err: Error) => logger?.warn({ err, channel: name }, 'bus channel error'));
        ch.on('close', () => drop(`${name} channel closed`));
      }
      publisher.on('return', (msg: Message) => this.#opts.onReturn?.(msg));
      await consumer.prefetch(PREFETCH);
      const link: AmqpLink = Object.assign(partial, { publisher, consumer });
      await this.#opts.onLink(link);
      if (!link.alive) throw new Error(this.#lastError);
      return { link, lost };
    } catch (err) {
      drop(err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  #hostList(): string {
    return this.#opts.url.hosts.map(describeHost).join(', ');
  }
}

function confirmPublish(
  ch: ConfirmChannel,
  exchange: string,
  routingKey: string,
  body: Buffer,
  props: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      ch.publish(exchange, routingKey, body, props, (err) => (err ? reject(err) : resolve()));
    } catch (err) {
      reject(err);
    }
  });
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Declares an exchange once per link; never auto-deleted, so publishers can trust it exists. */
export async function ensureExchange(
  link: AmqpLink,
  exchange: string,
  type: string,
): Promise<void> {
  if (link.declared.has(exchange)) return;
  await link.publisher.assertExchange(exchange, type, { durable: false, autoDelete: false });
  link.declared.add(exchange);
}
