import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimeoutError } from '../../../common/errors.js';
import { QmpClient } from './qmp-client.js';
import { QmpClosedError, QmpError, QmpProtocolError } from './qmp-errors.js';
import { startFakeQmpServer, type FakeQmpServerOptions } from './fake-qmp-server.js';
import type { QmpEvent } from './qmp-event.js';

async function withServer(
  opts: FakeQmpServerOptions,
  fn: (path: string, server: Awaited<ReturnType<typeof startFakeQmpServer>>) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'qmp-test-'));
  const path = join(dir, 'qmp.sock');
  const server = await startFakeQmpServer(path, opts);
  try {
    await fn(path, server);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('connect reads the greeting and negotiates capabilities before any command', async () => {
  await withServer({}, async (path, server) => {
    const qmp = await QmpClient.connect(path);
    assert.deepEqual(qmp.greeting.version.qemu, { major: 7, minor: 2, micro: 22 });
    assert.deepEqual(server.received, ['qmp_capabilities']);
    qmp.close();
  });
});

test('connect retries while the socket does not exist yet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qmp-test-'));
  const path = join(dir, 'qmp.sock');
  try {
    const connecting = QmpClient.connect(path, { retryIntervalMs: 10 });
    await new Promise((r) => setTimeout(r, 150));
    const server = await startFakeQmpServer(path);
    const qmp = await connecting;
    assert.equal(qmp.closed, false);
    qmp.close();
    await server.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('connect fails with a TimeoutError when the socket never appears', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qmp-test-'));
  try {
    await assert.rejects(
      QmpClient.connect(join(dir, 'none.sock'), { connectTimeoutMs: 200 }),
      (e) => e instanceof TimeoutError && /QMP connect/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('connect fails on a peer that never greets, and on a bad greeting', async () => {
  await withServer({ silent: true }, async (path) => {
    await assert.rejects(QmpClient.connect(path, { connectTimeoutMs: 200 }), TimeoutError);
  });
  const dir = mkdtempSync(join(tmpdir(), 'qmp-test-'));
  const path = join(dir, 'bad.sock');
  const server = net.createServer((s) => s.end('{"hello": 1}\n'));
  await new Promise<void>((r) => server.listen(path, r));
  try {
    await assert.rejects(QmpClient.connect(path), QmpProtocolError);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('replies are matched by id even when they arrive out of order', async () => {
  await withServer(
    {
      handle: (cmd, args) =>
        cmd === 'slow'
          ? { return: { echo: args?.n }, delayMs: 100 }
          : { return: { echo: args?.n } },
    },
    async (path) => {
      const qmp = await QmpClient.connect(path);
      const order: number[] = [];
      const slow = qmp.execute<{ echo: number }>('slow', { n: 1 }).then((r) => order.push(r.echo));
      const fast = qmp.execute<{ echo: number }>('fast', { n: 2 }).then((r) => order.push(r.echo));
      await Promise.all([slow, fast]);
      assert.deepEqual(order, [2, 1]);
      qmp.close();
    },
  );
});

test('a QMP error becomes a QmpError with the QMP class and the command', async () => {
  await withServer(
    {
      handle: () => ({
        error: { class: 'CommandNotFound', desc: 'The command nope has not been found' },
      }),
    },
    async (path) => {
      const qmp = await QmpClient.connect(path);
      await assert.rejects(qmp.execute('nope'), (e) => {
        assert.ok(e instanceof QmpError);
        assert.equal(e.qmpClass, 'CommandNotFound');
        assert.equal(e.command, 'nope');
        assert.equal(e.code, 'qmp.error');
        return true;
      });
      qmp.close();
    },
  );
});

test('a command to a hung peer fails with a deadline error naming the command', async () => {
  await withServer({ handle: () => 'hang' }, async (path) => {
    const qmp = await QmpClient.connect(path, { commandTimeoutMs: 5000 });
    const started = Date.now();
    await assert.rejects(qmp.execute('query-status', undefined, { timeoutMs: 150 }), (e) => {
      assert.ok(e instanceof TimeoutError);
      assert.match(e.message, /'query-status'/);
      assert.equal(e.details?.command, 'query-status');
      return true;
    });
    assert.ok(Date.now() - started < 2000);
    // The connection stays usable for later commands (they too time out here).
    assert.equal(qmp.closed, false);
    qmp.close();
  });
});

test('a closed socket fails every pending command at once, and later commands too', async () => {
  await withServer({ handle: () => 'hang' }, async (path, server) => {
    const qmp = await QmpClient.connect(path, { commandTimeoutMs: 10_000 });
    const pending = [qmp.execute('a'), qmp.execute('b'), qmp.execute('c')];
    const settled = Promise.allSettled(pending);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    server.connections[0]!.close();
    const results = await settled;
    assert.ok(Date.now() - started < 1000, 'failed at once, not at the deadline');
    assert.deepEqual(
      results.map((r) => r.status === 'rejected' && r.reason instanceof QmpClosedError),
      [true, true, true],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason.message), /'b'/);
    assert.equal(qmp.closed, true);
    await assert.rejects(qmp.execute('d'), QmpClosedError);
  });
});

test('events arrive typed, interleaved with replies, on the stream and to waiters', async () => {
  await withServer(
    {
      handle: (cmd, _args, conn) => {
        if (cmd === 'system_powerdown') {
          // QEMU may send the event before the reply.
          conn.emit('POWERDOWN');
          conn.emit('SHUTDOWN', { guest: true, reason: 'guest-shutdown' });
        }
        if (cmd === 'migrate') conn.emit('MIGRATION', { status: 'completed' });
        if (cmd === 'odd') conn.emit('BLOCK_JOB_READY', { device: 'd' });
        return { return: {} };
      },
    },
    async (path) => {
      const qmp = await QmpClient.connect(path);
      const seen: QmpEvent[] = [];
      const ac = new AbortController();
      const consumer = (async () => {
        for await (const e of qmp.events(ac.signal)) seen.push(e);
      })();
      const shutdown = qmp.waitForEvent(
        (e): e is Extract<QmpEvent, { event: 'SHUTDOWN' }> => e.event === 'SHUTDOWN',
        2000,
        'SHUTDOWN',
      );
      await qmp.execute('system_powerdown');
      const ev = await shutdown;
      assert.equal(ev.data.reason, 'guest-shutdown');
      assert.equal(ev.data.guest, true);
      assert.equal(ev.timestamp, 1_700_000_000_250);
      await qmp.execute('migrate', { uri: 'tcp:127.0.0.1:1' });
      await qmp.execute('odd');
      await new Promise((r) => setTimeout(r, 20));
      ac.abort();
      await consumer;
      assert.deepEqual(
        seen.map((e) => (e.event === 'OTHER' ? `OTHER:${e.name}` : e.event)),
        ['POWERDOWN', 'SHUTDOWN', 'MIGRATION', 'OTHER:BLOCK_JOB_READY'],
      );
      const mig = seen[2];
      assert.ok(mig?.event === 'MIGRATION' && mig.data.status === 'completed');
      qmp.close();
    },
  );
});

test('the event stream ends when the connection closes; waiters fail', async () => {
  await withServer({}, async (path, server) => {
    const qmp = await QmpClient.connect(path);
    const waiting = qmp.waitForEvent((e) => e.event === 'RESUME', 5000, 'RESUME');
    const drained = (async () => {
      const got: string[] = [];
      for await (const e of qmp.events()) got.push(e.event);
      return got;
    })();
    server.connections[0]!.emit('STOP');
    await new Promise((r) => setTimeout(r, 20));
    server.connections[0]!.close();
    assert.deepEqual(await drained, ['STOP']);
    await assert.rejects(waiting, QmpClosedError);
  });
});

test('waitForEvent times out with the name of what it waited for', async () => {
  await withServer({}, async (path) => {
    const qmp = await QmpClient.connect(path);
    await assert.rejects(
      qmp.waitForEvent((e) => e.event === 'RESUME', 100, 'RESUME after cont'),
      (e) => e instanceof TimeoutError && /RESUME after cont/.test(e.message),
    );
    qmp.close();
  });
});

test('framing: split lines, several messages per chunk, and junk lines are handled', async () => {
  await withServer(
    {
      handle: (_cmd, _args, conn) => {
        conn.writeRaw('not json\n{"event":"ST');
        conn.writeRaw('OP","timestamp":{"seconds":1,"microseconds":0}}\n\n');
        return { return: 42 };
      },
    },
    async (path) => {
      const qmp = await QmpClient.connect(path);
      const stop = qmp.waitForEvent((e) => e.event === 'STOP', 1000, 'STOP');
      assert.equal(await qmp.execute<number>('x'), 42);
      assert.equal((await stop).timestamp, 1000);
      qmp.close();
    },
  );
});
