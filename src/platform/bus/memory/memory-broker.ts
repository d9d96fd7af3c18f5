/** One message as the in-process broker carries it: JSON text plus, for calls, where to answer. */
export interface MemoryMessage {
  body: string;
  /** Set on calls; takes the reply's JSON text. */
  reply?: (body: string) => void;
}

/** Takes one delivered message. */
export type MemorySubscriber = (msg: MemoryMessage) => void;

interface Queue {
  key: string;
  subscribers: MemorySubscriber[];
  next: number;
}

/**
 * The in-process stand-in for RabbitMQ: named queues bound to a routing key, each delivering to
 * one of its subscribers in turn. Every MemoryBus sharing a broker sees the others' queues, which
 * is how tests simulate several processes. A queue lives while it has subscribers, so a message
 * routed to nobody is dropped, like an unroutable AMQP message.
 */
export class MemoryBroker {
  readonly #queues = new Map<string, Queue>();
  readonly #bindings = new Map<string, Set<Queue>>();

  /** Adds a subscriber to queue `queue` (bound to routing key `key`); returns its removal. */
  subscribe(queue: string, key: string, subscriber: MemorySubscriber): () => void {
    let q = this.#queues.get(queue);
    if (!q) {
      q = { key, subscribers: [], next: 0 };
      this.#queues.set(queue, q);
      let bound = this.#bindings.get(key);
      if (!bound) this.#bindings.set(key, (bound = new Set()));
      bound.add(q);
    }
    const queueRef = q;
    queueRef.subscribers.push(subscriber);
    return () => this.#unsubscribe(queue, queueRef, subscriber);
  }

  /**
   * Routes a message to every queue bound to `key`, one subscriber per queue, round robin.
   * Delivery happens on a later turn of the event loop, never inside the sender's stack.
   * Returns how many queues took the message.
   */
  publish(key: string, msg: MemoryMessage): number {
    const bound = this.#bindings.get(key);
    if (!bound) return 0;
    for (const q of bound) {
      const subscriber = q.subscribers[q.next % q.subscribers.length]!;
      q.next = (q.next + 1) % q.subscribers.length;
      setImmediate(() => subscriber(msg));
    }
    return bound.size;
  }

  #unsubscribe(name: string, q: Queue, subscriber: MemorySubscriber): void {
    const i = q.subscribers.indexOf(subscriber);
    if (i < 0) return;
    q.subscribers.splice(i, 1);
    if (q.subscribers.length > 0) {
      q.next %= q.subscribers.length;
      return;
    }
    // Like an auto-delete queue: gone with its last consumer, so later messages are dropped.
    this.#queues.delete(name);
    const bound = this.#bindings.get(q.key);
    bound?.delete(q);
    if (bound?.size === 0) this.#bindings.delete(q.key);
  }
}
