/**
 * The message bus contract every service talks through, in one process or across hosts.
 * Two implementations keep it: memory/ (in-process) and amqp/ (RabbitMQ). Both pass the same
 * contract suite (bus-contract.ts).
 *
 * Addressing follows oslo.messaging: a server listens on `topic` (each message goes to one of the
 * servers of the topic), on `topic.server` (direct), and on the topic's fanout.
 *
 * Delivery semantics shared by both implementations:
 * - args, results and notifications cross the bus as JSON, so nothing is shared by reference
 *   (a Date arrives as its ISO string, `undefined` members vanish);
 * - handlers always run asynchronously, never inside the caller's stack;
 * - a cast, fanout or notification with no consumer is dropped silently, as RabbitMQ drops a
 *   message that no queue is bound for; a call with no consumer ends in a TimeoutError;
 * - while the broker is unreachable, an outgoing message waits for the connection within its
 *   deadline (`timeoutMs`, else rpc_response_timeout) and then rejects with a
 *   ServiceUnavailableError naming topic and method; nothing waits past its deadline;
 * - RPC is at-most-once for the handler except when a publish is retried after a lost connection
 *   (the broker may have taken the first copy before the link dropped).
 */

/** What a handler learns about the message it handles. */
export interface CallContext {
  /** The request id of the API request that caused this message, for logs. */
  requestId?: string;
  /** Absolute time (ms since epoch) after which the caller no longer waits. */
  deadline?: number;
  /** The caller's context values (user, project, roles), opaque to the bus. */
  context?: Record<string, unknown>;
}

/** One RPC method: gets the message's args, returns a JSON-serializable result. */
export type RpcHandler = (args: any, ctx: CallContext) => unknown;

/** A set of RPC methods served on one topic; a missing method is answered with an error. */
export type RpcEndpoint = Record<string, RpcHandler>;

/** Where a server listens. */
export interface ServeTarget {
  /** e.g. `conductor`, `scheduler`, `compute`. */
  topic: string;
  /** The host name of this server; it also gets messages sent to `topic.server`. */
  server: string;
}

/** Options of an outgoing message. */
export interface SendOptions {
  /** For `call`: how long to wait for the reply. Defaults to the bus's rpc_response_timeout. */
  timeoutMs?: number;
  requestId?: string;
  context?: Record<string, unknown>;
}

/** A versioned notification, as oslo.messaging's notifier sends it. */
export interface Notification {
  /** e.g. `instance.create.end`. */
  eventType: string;
  /** `INFO`, `WARN`, `ERROR`, ... */
  priority: string;
  /** e.g. `compute.host1`. */
  publisherId: string;
  payload: unknown;
  /** ISO 8601. */
  timestamp: string;
  messageId: string;
  /** The notification topic (default `notifications`; Nova's versioned ones use `versioned_notifications`). */
  topic?: string;
}

/** A running consumer; stop() stops taking messages and waits for in-flight handlers. */
export interface Consumer {
  stop(): Promise<void>;
}

/**
 * Hears about every finished `call`, so the metrics layer can record latency and failures
 * without the bus knowing about metrics. Exceptions thrown by the observer are ignored.
 */
export interface BusObserver {
  /**
   * `ms` is the wall time of the call; `ok` is false when it rejected for any reason (the
   * handler's error, a timeout, the broker unreachable), and `code` then holds the error's code.
   */
  onCall(topic: string, method: string, ms: number, ok: boolean, code?: string): void;
}

/** The bus. */
export interface Bus {
  /** Starts serving `endpoint` on the target's topic, direct topic and fanout. */
  serve(target: ServeTarget, endpoint: RpcEndpoint): Promise<Consumer>;
  /**
   * Sends a request to one server of `topic` (or `topic.server`) and waits for its reply.
   * Rejects with the handler's error rebuilt as its own class, or a TimeoutError naming the
   * topic and method when no reply comes in time.
   */
  call<T = unknown>(topic: string, method: string, args?: unknown, opts?: SendOptions): Promise<T>;
  /**
   * Sends a request to one server of `topic` without waiting for a result. Resolves once the
   * message is handed over (for AMQP: confirmed by the broker).
   */
  cast(topic: string, method: string, args?: unknown, opts?: SendOptions): Promise<void>;
  /** Sends a request to every server of `topic`. */
  fanout(topic: string, method: string, args?: unknown, opts?: SendOptions): Promise<void>;
  /** Publishes a notification on `<topic>.<priority lowercased>` (topic default `notifications`). */
  publish(notification: Notification): Promise<void>;
  /**
   * Listens to notifications of the given priority topic (e.g. `notifications.info`); listeners
   * sharing `pool` split the stream, listeners in different pools each get every message.
   */
  listen(
    topic: string,
    handler: (n: Notification) => unknown,
    opts?: { pool?: string },
  ): Promise<Consumer>;
  /** True while the bus can deliver (connected, for AMQP). */
  isHealthy(): boolean;
  /** Stops every consumer and closes connections. */
  close(): Promise<void>;
}
