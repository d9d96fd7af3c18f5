import type { ConsumeMessage, Options } from 'amqplib';
import type { Logger } from 'pino';
import type { Consumer } from '../bus.js';
import { InflightTracker } from '../inflight-tracker.js';
import { ensureExchange, type AmqpLink } from './amqp-connection.js';

/** One queue a consumer reads, with the binding that feeds it. */
export interface QueueSpec {
  queue: string;
  options: Options.AssertQueue;
  exchange: string;
  exchangeType: 'topic' | 'fanout';
  routingKey: string;
}

/** What a consumer reads and how it handles each message. */
export interface ConsumerSpec {
  queues: QueueSpec[];
  /**
   * RPC consumers auto-ack (at-most-once, as oslo acks before dispatch); notification
   * consumers ack after the handler, so a crash mid-handler leaves the message queued.
   */
  noAck: boolean;
  handle: (msg: ConsumeMessage) => Promise<void>;
}

interface ConsumerRecord extends ConsumerSpec {
  inflight: InflightTracker;
  /** The link this record was last declared on; a new link means declaring again. */
  attachedTo: AmqpLink | undefined;
  tags: string[];
  stopped: boolean;
}

/**
 * The consumers of one bus, remembered so that every new link declares their queues, bindings
 * and subscriptions again after a reconnect.
 */
export class AmqpConsumers {
  readonly #records = new Set<ConsumerRecord>();
  readonly #logger: Logger | undefined;

  constructor(logger?: Logger) {
    this.#logger = logger;
  }

  /**
   * Adds a consumer and declares it on `link` if there is one; while disconnected it waits for
   * the next link. Rejects if the broker refuses the declaration on a live link.
   */
  async add(spec: ConsumerSpec, link: AmqpLink | undefined): Promise<Consumer> {
    const record: ConsumerRecord = {
      ...spec,
      inflight: new InflightTracker(),
      attachedTo: undefined,
      tags: [],
      stopped: false,
    };
    this.#records.add(record);
    if (link) {
      try {
        await this.#attach(record, link);
      } catch (err) {
        // A dead link is not this consumer's failure: the next link declares it.
        if (link.alive) {
          this.#records.delete(record);
          throw err;
        }
      }
    }
    return { stop: () => this.#stop(record) };
  }

  /** Declares every consumer on a fresh link. */
  async attachAll(link: AmqpLink): Promise<void> {
    for (const record of [...this.#records]) await this.#attach(record, link);
  }

  /** Stops every consumer, waiting for their running handlers. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#records].map((r) => this.#stop(r)));
  }

  async #attach(record: ConsumerRecord, link: AmqpLink): Promise<void> {
    // Set before the first await, so a concurrent attachAll and add() never both subscribe.
    if (record.attachedTo === link || record.stopped) return;
    record.attachedTo = link;
    record.tags = [];
    const ch = link.consumer;
    for (const q of record.queues) {
      await ensureExchange(link, q.exchange, q.exchangeType);
      await ch.assertQueue(q.queue, q.options);
      await ch.bindQueue(q.queue, q.exchange, q.routingKey);
      const onMessage = (msg: ConsumeMessage | null) => {
        if (!msg) return this.#logger?.warn({ queue: q.queue }, 'consumer cancelled by broker');
        if (record.stopped && !record.noAck) return ch.nack(msg, false, true);
        const work = record.handle(msg).finally(() => {
          if (record.noAck || !link.alive) return;
          try {
            ch.ack(msg);
          } catch {
            // The channel died meanwhile; the broker requeues what was not acked.
          }
        });
        void record.inflight.track(work);
      };
      const { consumerTag } = await ch.consume(q.queue, onMessage, { noAck: record.noAck });
      record.tags.push(consumerTag);
    }
    // stop() may have run while this was declaring: undo what it could not see.
    if (record.stopped) await this.#cancel(record, link);
  }

  async #stop(record: ConsumerRecord): Promise<void> {
    if (!record.stopped) {
      record.stopped = true;
      this.#records.delete(record);
      const link = record.attachedTo;
      if (link?.alive) await this.#cancel(record, link);
    }
    await record.inflight.drain();
  }

  async #cancel(record: ConsumerRecord, link: AmqpLink): Promise<void> {
    for (const tag of record.tags.splice(0)) {
      await link.consumer.cancel(tag).catch(() => undefined);
    }
  }
}
