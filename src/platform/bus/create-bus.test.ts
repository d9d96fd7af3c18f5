import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError } from '../../common/errors.js';
import { createBus } from './create-bus.js';
import { MemoryBus } from './memory/memory-bus.js';

it('createBus gives the in-process bus for memory:// or no URL', async () => {
  for (const url of [undefined, '', 'memory://']) {
    const bus = await createBus(url, { rpcResponseTimeoutMs: 1_000 });
    assert.ok(bus instanceof MemoryBus, String(url));
    await bus.serve({ topic: 'conductor', server: 'h1' }, { ping: () => 'pong' });
    assert.equal(await bus.call('conductor', 'ping'), 'pong');
    await bus.close();
  }
});

it('createBus rejects unknown schemes and bad rabbit URLs as ConfigError', async () => {
  await assert.rejects(createBus('kafka://h/', { rpcResponseTimeoutMs: 1_000 }), ConfigError);
  await assert.rejects(
    createBus('rabbit://u:pw@h:0/', { rpcResponseTimeoutMs: 1_000 }),
    (err) => err instanceof ConfigError && !err.message.includes('pw'),
  );
});
