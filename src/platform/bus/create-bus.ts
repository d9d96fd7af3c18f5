import type { Logger } from 'pino';
import { ConfigError } from '../../common/errors.js';
import { AmqpBus } from './amqp/amqp-bus.js';
import type { Bus, BusObserver } from './bus.js';
import { MemoryBus } from './memory/memory-bus.js';

/** What createBus needs besides the URL; everything but the timeout is optional. */
export interface CreateBusOptions {
  /** oslo's rpc_response_timeout, in ms: how long a call waits unless told otherwise. */
  rpcResponseTimeoutMs: number;
  /** oslo's control_exchange (RabbitMQ only); default `stratus`. */
  controlExchange?: string;
  /** oslo's heartbeat_timeout_threshold in seconds (RabbitMQ only); default 60, 0 disables. */
  heartbeatS?: number;
  /** oslo's rabbit_retry_interval, in ms: the first reconnect delay (RabbitMQ only). */
  reconnectBaseMs?: number;
  /** oslo's rabbit_interval_max, in ms: the longest reconnect delay (RabbitMQ only). */
  reconnectCapMs?: number;
  logger?: Logger;
  observer?: BusObserver;
}

/**
 * Makes the bus a transport_url names: `memory://` or none gives the in-process bus (a private
 * broker, so one process's services reach each other); `rabbit://…` connects to RabbitMQ and
 * resolves once connected.
 */
export async function createBus(
  transportUrl: string | undefined,
  opts: CreateBusOptions,
): Promise<Bus> {
  const common = {
    rpcResponseTimeoutMs: opts.rpcResponseTimeoutMs,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.observer ? { observer: opts.observer } : {}),
  };
  if (transportUrl === undefined || transportUrl === '' || transportUrl.startsWith('memory:')) {
    return new MemoryBus(common);
  }
  if (transportUrl.startsWith('rabbit:')) {
    return AmqpBus.connect({
      ...common,
      transportUrl,
      ...(opts.controlExchange !== undefined ? { controlExchange: opts.controlExchange } : {}),
      ...(opts.heartbeatS !== undefined ? { heartbeatS: opts.heartbeatS } : {}),
      ...(opts.reconnectBaseMs !== undefined ? { reconnectBaseMs: opts.reconnectBaseMs } : {}),
      ...(opts.reconnectCapMs !== undefined ? { reconnectCapMs: opts.reconnectCapMs } : {}),
    });
  }
  const scheme = transportUrl.split(':', 1)[0];
  throw new ConfigError(
    `transport_url scheme "${scheme}" is not supported (memory://, rabbit://)`,
    {
      code: 'config.invalid_transport_url',
    },
  );
}
