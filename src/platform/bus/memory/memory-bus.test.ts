import assert from 'node:assert/strict';
import { it } from 'node:test';
import { busContract } from '../bus-contract.js';
import { MemoryBroker } from './memory-broker.js';
import { MemoryBus } from './memory-bus.js';

// One broker for the whole file: tests use unique topics, as separate processes on one host would.
const broker = new MemoryBroker();

busContract('memory', {
  newBus: async (opts) => new MemoryBus({ broker, rpcResponseTimeoutMs: 2_000, ...opts }),
});

it('memory: a cast to a topic with no server is dropped without error', async () => {
  const bus = new MemoryBus({ rpcResponseTimeoutMs: 100 });
  await bus.cast('nobody', 'hello', {});
  await bus.close();
});

it('memory: buses on separate brokers do not see each other', async () => {
  const a = new MemoryBus({ rpcResponseTimeoutMs: 100 });
  const b = new MemoryBus({ rpcResponseTimeoutMs: 100 });
  await a.serve({ topic: 'iso', server: 'h1' }, { ping: () => 'pong' });
  assert.equal(await a.call('iso', 'ping'), 'pong');
  await assert.rejects(b.call('iso', 'ping'), /timed out/);
  await Promise.all([a.close(), b.close()]);
});
