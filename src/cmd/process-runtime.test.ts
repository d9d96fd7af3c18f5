import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLogger } from '../platform/log/create-logger.js';
import { openDatabase } from '../platform/db/open-database.js';
import { ServiceRegistry } from '../platform/service/service-registry.js';
import type { ServiceModule } from '../platform/service/service-module.js';
import { loadProcessConfig } from './process-config.js';
import { startProcess } from './process-runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'stratus-runtime-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const echo: ServiceModule = {
  name: 'echo',
  binary: 'stratus-echo',
  description: 'a test service',
  options: {},
  migrations: () => [],
  async start(ctx) {
    const consumer = await ctx.bus.serve(
      { topic: 'echo', server: ctx.config.DEFAULT.host },
      { ping: (a) => a },
    );
    return { endpoints: ['bus:echo'], stop: () => consumer.stop(), local: { hello: 'world' } };
  },
};

test('a service whose bus is broken stops heartbeating and shows as down', async () => {
  let now = Date.now();
  const clock = { now: () => now };
  const config = loadProcessConfig(
    [echo],
    { dataDir: join(dir, 'down') },
    { OS_DEFAULT__REPORT_INTERVAL: '1' },
  );
  const proc = await startProcess({
    name: 'test',
    config,
    modules: [echo],
    serveRegistry: true,
    clock,
    logger: createLogger({ service: 'test', host: 'h', silent: true }),
  });
  const db = await proc.database(config.database.connection);
  const registry = new ServiceRegistry(
    db,
    clock,
    { uuid: () => 'unused' },
    config.DEFAULT.service_down_time,
  );
  try {
    for (let i = 0; i < 50 && (await registry.list()).length === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal((await registry.list())[0]?.up, true);
    const before = (await registry.list())[0]!.reportCount;
    // Break the bus: heartbeats can no longer reach the registry.
    await proc.bus.close();
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal((await registry.list())[0]!.reportCount, before);
    now += (config.DEFAULT.service_down_time + 1) * 1000;
    assert.equal((await registry.list())[0]!.up, false);
  } finally {
    await proc.stop();
  }
});

test('a process starts its services, records their heartbeats through the bus, and stops', async () => {
  const config = loadProcessConfig(
    [echo],
    { dataDir: dir },
    { OS_DEFAULT__REPORT_INTERVAL: '1', OS_DEFAULT__HOST: 'node-a' },
  );
  const proc = await startProcess({
    name: 'test',
    config,
    modules: [echo],
    serveRegistry: true,
    logger: createLogger({ service: 'test', host: 'node-a', silent: true }),
  });
  try {
    assert.deepEqual(await proc.bus.call('echo', 'ping', { x: 1 }), { x: 1 });
    assert.deepEqual(await proc.bus.call('echo.node-a', 'ping', { x: 2 }), { x: 2 });
    const db = await proc.database(config.database.connection);
    const registry = new ServiceRegistry(
      db,
      { now: () => Date.now() },
      { uuid: () => 'unused' },
      60,
    );
    let services = await registry.list();
    for (let i = 0; i < 50 && services.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      services = await registry.list();
    }
    assert.deepEqual(
      services.map((s) => [s.host, s.binary, s.topic, s.up]),
      [['node-a', 'stratus-echo', 'echo', true]],
    );
  } finally {
    await proc.stop();
  }
  // The databases are closed and a second stop is harmless.
  await proc.stop();
  const db = await openDatabase(config.database.connection);
  await db.close();
});
