import type { Logger } from 'pino';
import { errorFromPayload } from '../../../common/errors.js';
import { randomIds, type IdGenerator } from '../../../common/ids.js';
import type {
  Bus,
  BusObserver,
  Consumer,
  Notification,
  RpcEndpoint,
  SendOptions,
  ServeTarget,
} from '../bus.js';
import { jitteredBackoff } from '../../../common/deadline.js';
import { busClosedError, callTimeoutError, NO_SERVER, notSentError } from '../bus-errors.js';
import {
  decodeReply,
  decodeRequest,
  encodeJson,
  encodeReply,
  type RpcRequest,
} from '../envelope.js';
import { InflightTracker } from '../inflight-tracker.js';
import {
  decodeNotification,
  encodeNotification,
  notificationTopic,
} from '../notification-codec.js';
import { observeCall } from '../observe-call.js';
import { dispatchRpc } from '../rpc-dispatch.js';
import { MemoryBroker, type MemoryMessage } from './memory-broker.js';

/** Options of the in-process bus. */
export interface MemoryBusOptions {
  /** How long a call waits for its reply unless the caller says otherwise. */
  rpcResponseTimeoutMs: number;
  /** Buses sharing a broker reach each other's servers; omit for a private one. */
  broker?: MemoryBroker;
  logger?: Logger;
  observer?: BusObserver;
  ids?: IdGenerator;
}

interface PendingCall {
  topic: string;
  method: string;
  fail: (err: Error) => void;
}

/**
 * The in-process bus of the embedded deployment. It keeps the RabbitMQ implementation's
 * behaviour where services could notice: JSON-copied messages, asynchronous handlers,
 * round robin, typed errors, timeouts for calls nobody answers.
 */
export class MemoryBus implements Bus {
  readonly #broker: MemoryBroker;
  readonly #timeoutMs: number;
  readonly #logger: Logger | undefined;
  readonly #observer: BusObserver | undefined;
  readonly #ids: IdGenerator;
  readonly #consumers = new Set<Consumer>();
  readonly #pending = new Set<PendingCall>();
  #closed = false;

  constructor(opts: MemoryBusOptions) {
    this.#broker = opts.broker ?? new MemoryBroker();
    this.#timeoutMs = opts.rpcResponseTimeoutMs;
    this.#logger = opts.logger;
    this.#observer = opts.observer;
    this.#ids = opts.ids ?? randomIds;
  }

  async serve(target: ServeTarget, endpoint: RpcEndpoint): Promise<Consumer> {
    this.#assertOpen('serve', target.topic, '');
    const { topic, server } = target;
    const direct = `${topic}.${server}`;
    const onMessage = (msg: MemoryMessage) => {
      const req = decodeRequest(msg.body);
      if (!req) {
        this.#logger?.warn({ topic }, 'dropped a malformed rpc message');
        return undefined;
      }
      return dispatchRpc(endpoint, topic, req, this.#logger).then((reply) =>
        msg.reply?.(encodeReply(reply)),
      );
    };
    return this.#consume(
      [
        [`rpc:${topic}`, `rpc:${topic}`],
        [`rpc:${direct}`, `rpc:${direct}`],
        [`fanout:${topic}:${this.#ids.uuid()}`, `fanout:${topic}`],
      ],
      onMessage,
    );
  }

  call<T = unknown>(topic: string, method: string, args?: unknown, opts?: SendOptions): Promise<T> {
    return observeCall(this.#observer, topic, method, () =>
      this.#call<T>(topic, method, args, opts),
    );
  }

  async cast(topic: string, method: string, args?: unknown, opts?: SendOptions): Promise<void> {
    this.#assertOpen('cast', topic, method);
    this.#broker.publish(`rpc:${topic}`, { body: this.#request(method, args, opts) });
  }

  async fanout(topic: string, method: string, args?: unknown, opts?: SendOptions): Promise<void> {
    this.#assertOpen('fanout', topic, method);
    this.#broker.publish(`fanout:${topic}`, { body: this.#request(method, args, opts) });
  }

  async publish(notification: Notification): Promise<void> {
    const topic = notificationTopic(notification.priority, notification.topic);
    this.#assertOpen('publish', topic, notification.eventType);
    this.#broker.publish(`notify:${topic}`, { body: encodeNotification(notification) });
  }

  async listen(
    topic: string,
    handler: (n: Notification) => unknown,
    opts?: { pool?: string },
  ): Promise<Consumer> {
    this.#assertOpen('listen', topic, '');
    const queue = `notify:${topic}:${opts?.pool ?? ''}`;
    return this.#consume([[queue, `notify:${topic}`]], async (msg) => {
      const n = decodeNotification(msg.body);
      if (!n) return;
      try {
        await handler(n);
      } catch (err) {
        this.#logger?.error({ err, topic, eventType: n.eventType }, 'notification handler failed');
      }
    });
  }

  isHealthy(): boolean {
    return !this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.#pending) p.fail(busClosedError(p.topic, p.method));
    await Promise.all([...this.#consumers].map((c) => c.stop()));
  }

  async #call<T>(topic: string, method: string, args: unknown, opts?: SendOptions): Promise<T> {
    this.#assertOpen('call', topic, method);
    const timeoutMs = opts?.timeoutMs ?? this.#timeoutMs;
    const body = this.#request(method, args, opts, Date.now() + timeoutMs);
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        clearTimeout(retry);
        this.#pending.delete(pending);
      };
      const pending: PendingCall = {
        topic,
        method,
        fail: (err) => {
          settle();
          reject(err);
        },
      };
      let taken = false;
      let retry: NodeJS.Timeout | undefined;
      const timer = setTimeout(
        () =>
          pending.fail(callTimeoutError(topic, method, timeoutMs, taken ? undefined : NO_SERVER)),
        timeoutMs,
      );
      this.#pending.add(pending);
      const msg: MemoryMessage = {
        body,
        reply: (text) => {
          if (!this.#pending.has(pending)) return; // already timed out or closed
          settle();
          const reply = decodeReply(text);
          if (reply.ok) resolve(reply.result as T);
          else reject(errorFromPayload(reply.error));
        },
      };
      // Like the AMQP bus: a call nobody can take yet is sent again until its deadline.
      const send = (attempt: number) => {
        if (!this.#pending.has(pending)) return;
        taken = this.#broker.publish(`rpc:${topic}`, msg) > 0;
        if (!taken) retry = setTimeout(() => send(attempt + 1), jitteredBackoff(attempt, 50, 500));
      };
      send(0);
    });
  }

  #request(method: string, args: unknown, opts?: SendOptions, deadline?: number): string {
    const req: RpcRequest = { method, args };
    if (opts?.requestId !== undefined) req.requestId = opts.requestId;
    if (opts?.context !== undefined) req.context = opts.context;
    if (deadline !== undefined) req.deadline = deadline;
    return encodeJson(req);
  }

  #consume(
    queues: [queue: string, key: string][],
    onMessage: (msg: MemoryMessage) => Promise<void> | undefined,
  ): Consumer {
    const inflight = new InflightTracker();
    let stopped = false;
    const subscriber = (msg: MemoryMessage) => {
      if (stopped) return;
      const work = onMessage(msg);
      if (work) void inflight.track(work);
    };
    const unsubscribe = queues.map(([queue, key]) =>
      this.#broker.subscribe(queue, key, subscriber),
    );
    const consumer: Consumer = {
      stop: async () => {
        if (!stopped) {
          stopped = true;
          for (const u of unsubscribe) u();
          this.#consumers.delete(consumer);
        }
        await inflight.drain();
      },
    };
    this.#consumers.add(consumer);
    return consumer;
  }

  #assertOpen(kind: string, topic: string, method: string): void {
    if (this.#closed) throw notSentError(kind, topic, method, 0, 'the bus is closed');
  }
}
