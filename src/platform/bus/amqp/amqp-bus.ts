import type { ConsumeMessage, Message, Options } from 'amqplib';
import type { Logger } from 'pino';
import { errorFromPayload, ServiceUnavailableError } from '../../../common/errors.js';
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
  type RpcReply,
  type RpcRequest,
} from '../envelope.js';
import {
  decodeNotification,
  encodeNotification,
  notificationTopic,
} from '../notification-codec.js';
import { observeCall } from '../observe-call.js';
import { dispatchRpc } from '../rpc-dispatch.js';
import { AmqpConnection, ensureExchange, type AmqpLink } from './amqp-connection.js';
import { AmqpConsumers, type ConsumerSpec } from './amqp-consumers.js';
import * as names from './amqp-names.js';
import { parseTransportUrl } from './transport-url.js';

/** Options of the RabbitMQ bus. */
export interface AmqpBusOptions {
  /** `rabbit://user:pass@host:port[,host2:port2]/vhost` */
  transportUrl: string;
  /** How long a call waits for its reply, and any send for the broker, unless told otherwise. */
  rpcResponseTimeoutMs: number;
  /** oslo's control_exchange: the topic exchange RPC and notifications go through. */
  controlExchange?: string;
  /** AMQP heartbeat in seconds (oslo's heartbeat_timeout_threshold); 0 disables it. */
  heartbeatS?: number;
  /** How long connect() tries before giving up. */
  connectTimeoutMs?: number;
  /** Bounds of the jittered reconnect backoff. */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  logger?: Logger;
  observer?: BusObserver;
  ids?: IdGenerator;
}

const JSON_TYPE = 'application/json';

interface PendingCall {
  topic: string;
  method: string;
  /** Set when the broker returned the latest publish as unroutable. */
  returned: boolean;
  settle: (reply: RpcReply) => void;
  fail: (err: Error) => void;
}

/**
 * The Bus over RabbitMQ. While the broker is unreachable, sends wait for the reconnect within
 * their deadline and then fail with ServiceUnavailableError; consumers are declared again on
 * every reconnect; a call nobody can take yet is sent again until its deadline; a call whose
 * reply was lost with the connection times out normally. A cast sent in the moment after a
 * broker restart, before the servers have re-declared their queues, is lost (as with oslo).
 */
export class AmqpBus implements Bus {
  readonly #conn: AmqpConnection;
  readonly #exchange: string;
  readonly #timeoutMs: number;
  readonly #logger: Logger | undefined;
  readonly #observer: BusObserver | undefined;
  readonly #ids: IdGenerator;
  readonly #replyQueue: string;
  readonly #consumers: AmqpConsumers;
  readonly #pending = new Map<string, PendingCall>();
  #closed = false;

  private constructor(opts: AmqpBusOptions) {
    this.#exchange = opts.controlExchange ?? 'stratus';
    this.#timeoutMs = opts.rpcResponseTimeoutMs;
    this.#logger = opts.logger;
    this.#observer = opts.observer;
    this.#ids = opts.ids ?? randomIds;
    this.#replyQueue = names.replyQueue(this.#ids.uuid());
    this.#consumers = new AmqpConsumers(opts.logger);
    this.#conn = new AmqpConnection({
      url: parseTransportUrl(opts.transportUrl),
      heartbeatS: opts.heartbeatS ?? 60,
      onLink: (link) => this.#declareAll(link),
      onReturn: (msg) => this.#onReturn(msg),
      connectionName: `stratus:${process.pid}:${this.#replyQueue}`,
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.reconnectBaseMs !== undefined ? { reconnectBaseMs: opts.reconnectBaseMs } : {}),
      ...(opts.reconnectCapMs !== undefined ? { reconnectCapMs: opts.reconnectCapMs } : {}),
    });
  }

  /** Connects to the first reachable broker of the URL and returns the ready bus. */
  static async connect(opts: AmqpBusOptions): Promise<AmqpBus> {
    const bus = new AmqpBus(opts);
    await bus.#conn.open(opts.connectTimeoutMs ?? 30_000);
    return bus;
  }

  async serve(target: ServeTarget, endpoint: RpcEndpoint): Promise<Consumer> {
    const { topic, server } = target;
    const shared = { durable: false, autoDelete: false };
    return this.#consume({
      queues: [
        {
          queue: names.topicQueue(topic),
          options: shared,
          exchange: this.#exchange,
          exchangeType: 'topic',
          routingKey: topic,
        },
        {
          queue: names.directQueue(topic, server),
          options: shared,
          exchange: this.#exchange,
          exchangeType: 'topic',
          routingKey: names.directQueue(topic, server),
        },
        {
          queue: names.fanoutQueue(topic, this.#ids.uuid()),
          options: { exclusive: true, autoDelete: true },
          exchange: names.fanoutExchange(topic),
          exchangeType: 'fanout',
          routingKey: '',
        },
      ],
      noAck: true,
      handle: (msg) => this.#handleRpc(topic, endpoint, msg),
    });
  }

  call<T = unknown>(topic: string, method: string, args?: unknown, opts?: SendOptions): Promise<T> {
    return observeCall(this.#observer, topic, method, () =>
      this.#call<T>(topic, method, args, opts),
    );
  }

  async cast(topic: string, method: string, args?: unknown, opts?: SendOptions): Promise<void> {
    const body = this.#request(method, args, opts);
    await this.#send('cast', topic, method, this.#exchange, topic, body, {}, opts?.timeoutMs);
  }

  async fanout(topic: string, method: string, args?: unknown, opts?: SendOptions): Promise<void> {
    const exchange = names.fanoutExchange(topic);
    const body = this.#request(method, args, opts);
    // Publishing to a missing exchange closes the channel, so make sure it exists first.
    const prepare = (link: AmqpLink) => ensureExchange(link, exchange, 'fanout');
    await this.#send('fanout', topic, method, exchange, '', body, {}, opts?.timeoutMs, prepare);
  }

  async publish(n: Notification): Promise<void> {
    const topic = notificationTopic(n.priority, n.topic);
    const body = Buffer.from(encodeNotification(n));
    const props = { persistent: true, messageId: n.messageId };
    await this.#send('publish', topic, n.eventType, this.#exchange, topic, body, props);
  }

  async listen(
    topic: string,
    handler: (n: Notification) => unknown,
    opts?: { pool?: string },
  ): Promise<Consumer> {
    const queue = names.notificationQueue(topic, opts?.pool);
    return this.#consume({
      queues: [
        {
          queue,
          options: { durable: true },
          exchange: this.#exchange,
          exchangeType: 'topic',
          routingKey: topic,
        },
      ],
      noAck: false,
      handle: async (msg) => {
        const n = decodeNotification(msg.content.toString('utf8'));
        if (!n) return this.#logger?.warn({ topic }, 'dropped a malformed notification');
        try {
          await handler(n);
        } catch (err) {
          // Dropped rather than requeued: a handler that throws would otherwise loop forever.
          this.#logger?.error(
            { err, topic, eventType: n.eventType },
            'notification handler failed',
          );
        }
      },
    });
  }

  isHealthy(): boolean {
    return !this.#closed && this.#conn.link?.alive === true;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of [...this.#pending.values()]) p.fail(busClosedError(p.topic, p.method));
    await this.#consumers.stopAll();
    await this.#conn.close();
  }

  async #call<T>(topic: string, method: string, args: unknown, opts?: SendOptions): Promise<T> {
    if (this.#closed) throw busClosedError(topic, method);
    const timeoutMs = opts?.timeoutMs ?? this.#timeoutMs;
    const body = this.#request(method, args, opts, Date.now() + timeoutMs);
    const msgId = this.#ids.uuid();
    const ac = new AbortController();
    return new Promise<T>((resolve, reject) => {
      let sent = false;
      let unroutable = false;
      let retry: NodeJS.Timeout | undefined;
      const finish = (err: Error | undefined, value?: unknown) => {
        if (!this.#pending.delete(msgId)) return;
        clearTimeout(timer);
        clearTimeout(retry);
        ac.abort();
        if (err) reject(err);
        else resolve(value as T);
      };
      const timer = setTimeout(() => {
        const err =
          sent || unroutable
            ? callTimeoutError(topic, method, timeoutMs, sent ? undefined : NO_SERVER)
            : notSentError('call', topic, method, timeoutMs, this.#unsentReason());
        finish(err);
      }, timeoutMs);
      const pending: PendingCall = {
        topic,
        method,
        returned: false,
        settle: (reply) =>
          finish(
            reply.ok ? undefined : errorFromPayload(reply.error),
            reply.ok ? reply.result : undefined,
          ),
        fail: (err) => finish(err),
      };
      this.#pending.set(msgId, pending);
      const props: Options.Publish = {
        contentType: JSON_TYPE,
        correlationId: msgId,
        replyTo: this.#replyQueue,
        // A request nobody took in time is useless: let the broker drop it.
        expiration: String(timeoutMs),
        // Unroutable (no queue for the topic yet, e.g. servers not yet re-declared after a
        // broker restart): the broker returns it and the call sends it again.
        mandatory: true,
      };
      const send = (attempt: number) => {
        pending.returned = false;
        this.#conn.publish(this.#exchange, topic, body, props, ac.signal).then(
          () => {
            // The broker sends basic.return before the confirm, so the flag is final here.
            if (!pending.returned) return void (sent = true);
            unroutable = true;
            retry = setTimeout(() => send(attempt + 1), jitteredBackoff(attempt, 100, 1_000));
          },
          (err: unknown) => {
            if (!ac.signal.aborted) finish(unavailable('call', topic, method, err));
          },
        );
      };
      send(0);
    });
  }

  /** Publishes a one-way message, bounded by its deadline. */
  async #send(
    kind: string,
    topic: string,
    method: string,
    exchange: string,
    key: string,
    body: Buffer,
    props: Options.Publish,
    timeoutMs = this.#timeoutMs,
    prepare?: (link: AmqpLink) => Promise<void>,
  ): Promise<void> {
    if (this.#closed) throw busClosedError(topic, method);
    const ac = new AbortController();
    const timer = setTimeout(
      () => ac.abort(notSentError(kind, topic, method, timeoutMs, this.#unsentReason())),
      timeoutMs,
    );
    try {
      await this.#conn.publish(
        exchange,
        key,
        body,
        { contentType: JSON_TYPE, ...props },
        ac.signal,
        prepare,
      );
    } catch (err) {
      throw ac.signal.aborted ? ac.signal.reason : unavailable(kind, topic, method, err);
    } finally {
      clearTimeout(timer);
    }
  }

  async #handleRpc(topic: string, endpoint: RpcEndpoint, msg: ConsumeMessage): Promise<void> {
    const req = decodeRequest(msg.content.toString('utf8'));
    if (!req) return this.#logger?.warn({ topic }, 'dropped a malformed rpc message');
    const reply = await dispatchRpc(endpoint, topic, req, this.#logger);
    const { replyTo, correlationId } = msg.properties as {
      replyTo?: string;
      correlationId?: string;
    };
    if (!replyTo || !correlationId) return; // a cast or fanout
    // The default exchange routes straight to the caller's reply queue; if the caller is gone,
    // the reply is unroutable and the broker drops it.
    const body = Buffer.from(encodeReply(reply));
    const ac = new AbortController();
    const timer = setTimeout(
      () => ac.abort(new Error('reply not confirmed in time')),
      this.#timeoutMs,
    );
    try {
      await this.#conn.publish(
        '',
        replyTo,
        body,
        { correlationId, contentType: JSON_TYPE },
        ac.signal,
      );
    } catch (err) {
      this.#logger?.warn({ err, topic, method: req.method }, 'could not send rpc reply');
    } finally {
      clearTimeout(timer);
    }
  }

  #onReturn(msg: Message): void {
    const id = (msg.properties as { correlationId?: string }).correlationId;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    if (pending) pending.returned = true;
  }

  #onReply(msg: ConsumeMessage | null): void {
    const id = (msg?.properties as { correlationId?: string } | undefined)?.correlationId;
    const pending = id === undefined ? undefined : this.#pending.get(id);
    pending?.settle(decodeReply(msg!.content.toString('utf8')));
  }

  /** Declares everything this bus needs on a fresh link: exchange, reply queue, every consumer. */
  async #declareAll(link: AmqpLink): Promise<void> {
    await ensureExchange(link, this.#exchange, 'topic');
    await link.consumer.assertQueue(this.#replyQueue, { exclusive: true, autoDelete: true });
    await link.consumer.consume(this.#replyQueue, (msg) => this.#onReply(msg), { noAck: true });
    await this.#consumers.attachAll(link);
  }

  async #consume(spec: ConsumerSpec): Promise<Consumer> {
    const queue = spec.queues[0]!.queue;
    if (this.#closed) throw busClosedError(queue, 'consume');
    try {
      return await this.#consumers.add(spec, this.#conn.link);
    } catch (err) {
      throw unavailable('consume', queue, '', err);
    }
  }

  #request(method: string, args: unknown, opts?: SendOptions, deadline?: number): Buffer {
    const req: RpcRequest = { method, args };
    if (opts?.requestId !== undefined) req.requestId = opts.requestId;
    if (opts?.context !== undefined) req.context = opts.context;
    if (deadline !== undefined) req.deadline = deadline;
    return Buffer.from(encodeJson(req));
  }

  #unsentReason(): string {
    return this.#conn.link
      ? 'RabbitMQ did not confirm it'
      : `RabbitMQ unreachable (${this.#conn.lastError})`;
  }
}

function unavailable(kind: string, topic: string, method: string, err: unknown): Error {
  if (err instanceof ServiceUnavailableError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new ServiceUnavailableError(`bus ${kind} ${topic}.${method} failed: ${why}`, {
    code: 'bus.unavailable',
    cause: err,
  });
}
