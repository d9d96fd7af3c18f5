import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sleep } from '../../../common/deadline.js';
import { ServiceUnavailableError, TimeoutError } from '../../../common/errors.js';
import {
  rabbitSkipReason,
  startRabbit,
  type RabbitHandle,
} from '../../../../test/harness/rabbitmq.js';
import { busContract, uniq, waitFor } from '../bus-contract.js';
import { createBus } from '../create-bus.js';
import { AmqpBus } from './amqp-bus.js';

describe('amqp', { skip: rabbitSkipReason(), timeout: 180_000 }, () => {
  let rabbit: RabbitHandle;
  const controlExchange = uniq('stratus_test');
  before(async () => {
    rabbit = await startRabbit();
  });
  after(async () => {
    await rabbit?.stop();
  });

  const connect = (heartbeatS = 60) =>
    AmqpBus.connect({
      transportUrl: rabbit.url,
      rpcResponseTimeoutMs: 5_000,
      heartbeatS,
      controlExchange,
      connectTimeoutMs: 10_000,
      reconnectBaseMs: 100,
      reconnectCapMs: 1_000,
    });

  busContract('amqp', {
    newBus: async (opts) =>
      AmqpBus.connect({
        transportUrl: rabbit.url,
        rpcResponseTimeoutMs: 5_000,
        controlExchange,
        ...opts,
      }),
  });

  it('createBus connects a rabbit:// URL, trying hosts in order', async () => {
    // The first host refuses connections; the second is the broker.
    const url = rabbit.url.replace('@127.0.0.1:', '@127.0.0.1:1,127.0.0.1:');
    const bus = await createBus(url, { rpcResponseTimeoutMs: 5_000, controlExchange });
    try {
      assert.equal(bus.isHealthy(), true);
      const topic = uniq('create');
      await bus.serve({ topic, server: 'h1' }, { ping: () => 'pong' });
      assert.equal(await bus.call(topic, 'ping'), 'pong');
    } finally {
      await bus.close();
    }
  });

  it('fails connect() quickly on refused credentials', async () => {
    const bad = rabbit.url.replace('guest:guest', 'guest:wrong');
    const started = Date.now();
    await assert.rejects(
      AmqpBus.connect({ transportUrl: bad, rpcResponseTimeoutMs: 1_000, connectTimeoutMs: 20_000 }),
      (err) => err instanceof ServiceUnavailableError && /ACCESS.REFUSED/.test(err.message),
    );
    assert.ok(Date.now() - started < 10_000);
  });

  it('survives a broker restart without re-creating the buses', { timeout: 120_000 }, async () => {
    const server = await connect();
    const client = await connect();
    try {
      const topic = uniq('restart');
      const fanned: string[] = [];
      await server.serve(
        { topic, server: 'h1' },
        {
          ping: (args: { n: number }) => args.n + 1,
          poke: () => void fanned.push('poke'),
        },
      );
      assert.equal(await client.call(topic, 'ping', { n: 1 }), 2);

      await rabbit.stopBroker();
      await waitFor(() => !server.isHealthy() && !client.isHealthy(), 10_000);
      // While the broker is down a call fails within its own deadline, never later.
      const started = Date.now();
      await assert.rejects(
        client.call(topic, 'ping', { n: 1 }, { timeoutMs: 500 }),
        (err) => err instanceof ServiceUnavailableError && err.message.includes(`${topic}.ping`),
      );
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);

      await rabbit.startBroker();
      await waitFor(() => server.isHealthy() && client.isHealthy(), 30_000);
      assert.equal(await client.call(topic, 'ping', { n: 41 }), 42);
      assert.equal(await client.call(`${topic}.h1`, 'ping', { n: 1 }), 2);
      await client.fanout(topic, 'poke');
      await waitFor(() => fanned.length === 1);
    } finally {
      await Promise.all([server.close(), client.close()]);
    }
  });

  it(
    'a call started during the outage succeeds once the broker is back within its deadline',
    {
      timeout: 120_000,
    },
    async () => {
      const server = await connect();
      const client = await connect();
      try {
        const topic = uniq('waiting');
        await server.serve({ topic, server: 'h1' }, { ping: () => 'pong' });
        await rabbit.stopBroker();
        await waitFor(() => !client.isHealthy(), 10_000);
        const pending = client.call(topic, 'ping', undefined, { timeoutMs: 60_000 });
        await sleep(200);
        await rabbit.startBroker();
        assert.equal(await pending, 'pong');
      } finally {
        await Promise.all([server.close(), client.close()]);
      }
    },
  );

  it('a call whose server answers too late times out as TimeoutError', async () => {
    const bus = await connect();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    try {
      const topic = uniq('late');
      await bus.serve({ topic, server: 'h1' }, { hang: () => gate });
      await assert.rejects(bus.call(topic, 'hang', undefined, { timeoutMs: 300 }), TimeoutError);
    } finally {
      release();
      await bus.close();
    }
  });

  it(
    'notices a frozen broker through heartbeats, never hangs, and recovers',
    {
      timeout: 120_000,
    },
    async () => {
      const server = await connect(1);
      const client = await connect(1);
      try {
        const topic = uniq('frozen');
        await server.serve({ topic, server: 'h1' }, { ping: () => 'pong' });
        assert.equal(await client.call(topic, 'ping'), 'pong');
        rabbit.pauseBroker();
        // The TCP connection stays up, so only the deadline bounds this call...
        const started = Date.now();
        await assert.rejects(
          client.call(topic, 'ping', undefined, { timeoutMs: 1_000 }),
          (err) => err instanceof ServiceUnavailableError || err instanceof TimeoutError,
        );
        assert.ok(Date.now() - started < 2_500, `took ${Date.now() - started} ms`);
        // ...and only missed heartbeats reveal the dead link.
        await waitFor(() => !client.isHealthy() && !server.isHealthy(), 15_000);
        rabbit.resumeBroker();
        await waitFor(() => client.isHealthy() && server.isHealthy(), 60_000);
        assert.equal(await client.call(topic, 'ping', undefined, { timeoutMs: 10_000 }), 'pong');
      } finally {
        rabbit.resumeBroker();
        await Promise.all([server.close(), client.close()]);
      }
    },
  );
});
