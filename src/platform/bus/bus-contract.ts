/**
 * The behaviour every Bus implementation must keep, as a node:test suite. An implementation's
 * test file calls busContract() with a fixture that makes connected buses; buses made by one
 * fixture must reach each other, as processes sharing one broker do.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import {
  ConflictError,
  NotFoundError,
  NotImplementedError,
  registerErrorClass,
  ServiceUnavailableError,
  StratusError,
  TimeoutError,
} from '../../common/errors.js';
import { sleep } from '../../common/deadline.js';
import type { Bus, BusObserver, Notification } from './bus.js';

/** Makes connected buses for the contract suite. */
export interface BusFixture {
  /** A new connected bus; it reaches every other bus this fixture made. */
  newBus(opts?: { rpcResponseTimeoutMs?: number; observer?: BusObserver }): Promise<Bus>;
}

/** A StratusError subclass known only to the tests, registered like a service's own errors. */
export class ContractBurstError extends StratusError {
  constructor(message: string, opts: { code?: string; details?: Record<string, unknown> } = {}) {
    super(message, { code: 'contract.burst', ...opts, status: 429 });
  }
}
registerErrorClass(ContractBurstError);

const TEST_TIMEOUT_MS = 30_000;

/** Registers the contract tests for one implementation under a `describe` named `name`. */
export function busContract(name: string, fixture: BusFixture): void {
  describe(`${name}: bus contract`, { timeout: TEST_TIMEOUT_MS }, () => {
    const made: Bus[] = [];
    const bus = async (opts?: Parameters<BusFixture['newBus']>[0]) => {
      const b = await fixture.newBus(opts);
      made.push(b);
      return b;
    };
    afterEach(async () => {
      await Promise.all(made.splice(0).map((b) => b.close()));
    });

    it('call returns the result as a JSON copy and passes request id and context', async () => {
      const topic = uniq('echo');
      const [server, client] = [await bus(), await bus()];
      await server.serve(
        { topic, server: 'h1' },
        {
          echo(args: { seen?: boolean }, ctx) {
            args.seen = true; // must not leak back into the caller's object
            return { args, at: new Date(0), ctx: { ...ctx, deadline: typeof ctx.deadline } };
          },
        },
      );
      const input = { n: 1, nested: { list: [1, 2] } };
      const result = await client.call<Record<string, any>>(topic, 'echo', input, {
        requestId: 'req-1',
        context: { project_id: 'p1' },
      });
      assert.equal((input as { seen?: boolean }).seen, undefined);
      assert.deepEqual(result.args, { n: 1, nested: { list: [1, 2] }, seen: true });
      assert.equal(result.at, '1970-01-01T00:00:00.000Z');
      assert.deepEqual(result.ctx, {
        requestId: 'req-1',
        context: { project_id: 'p1' },
        deadline: 'number',
      });
    });

    it('runs handlers asynchronously, never inside the caller', async () => {
      const topic = uniq('async');
      const b = await bus();
      let callReturned = false;
      await b.serve({ topic, server: 'h1' }, { probe: () => callReturned });
      const pending = b.call(topic, 'probe');
      callReturned = true;
      assert.equal(await pending, true);
    });

    it('times out a call nobody serves, naming topic and method', async () => {
      const topic = uniq('nobody');
      const b = await bus();
      const started = Date.now();
      await assert.rejects(b.call(topic, 'build_instances', {}, { timeoutMs: 300 }), (err) => {
        assert.ok(err instanceof TimeoutError, `got ${String(err)}`);
        assert.match(
          err.message,
          new RegExp(`${topic}\\.build_instances timed out after 300 ms \\(no server is listening`),
        );
        return true;
      });
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 290 && elapsed < 3_000, `elapsed ${elapsed} ms`);
    });

    it('a call waits within its deadline for a server to appear', async () => {
      const topic = uniq('late_server');
      const [server, client] = [await bus(), await bus()];
      const reply = client.call(topic, 'ping', undefined, { timeoutMs: 10_000 });
      await sleep(300);
      await server.serve({ topic, server: 'h1' }, { ping: () => 'pong' });
      assert.equal(await reply, 'pong');
    });

    it('delivers a cast', async () => {
      const topic = uniq('cast');
      const [server, client] = [await bus(), await bus()];
      const got: unknown[] = [];
      await server.serve({ topic, server: 'h1' }, { note: (args) => void got.push(args) });
      await client.cast(topic, 'note', { x: 1 });
      await waitFor(() => got.length === 1);
      assert.deepEqual(got, [{ x: 1 }]);
    });

    it('fans out to every server of the topic', async () => {
      const topic = uniq('fan');
      const hosts = ['h1', 'h2', 'h3'];
      const got = new Map<string, unknown>();
      for (const host of hosts) {
        const b = await bus();
        await b.serve({ topic, server: host }, { refresh: (args) => void got.set(host, args) });
      }
      await (await bus()).fanout(topic, 'refresh', { v: 7 });
      await waitFor(() => got.size === 3);
      assert.deepEqual([...got.keys()].sort(), hosts);
      assert.deepEqual(got.get('h2'), { v: 7 });
    });

    it('spreads calls round robin across the servers of a topic', async () => {
      const topic = uniq('rr');
      for (const host of ['s1', 's2']) {
        await (await bus()).serve({ topic, server: host }, { who: () => host });
      }
      const client = await bus();
      const counts: Record<string, number> = {};
      for (let i = 0; i < 6; i++) {
        const host = await client.call<string>(topic, 'who');
        counts[host] = (counts[host] ?? 0) + 1;
      }
      assert.deepEqual(counts, { s1: 3, s2: 3 });
    });

    it('sends topic.server to that server only', async () => {
      const topic = uniq('direct');
      for (const host of ['s1', 's2']) {
        await (await bus()).serve({ topic, server: host }, { who: () => host });
      }
      const client = await bus();
      for (let i = 0; i < 4; i++) assert.equal(await client.call(`${topic}.s2`, 'who'), 's2');
    });

    it("rebuilds a handler's typed error as its own class", async () => {
      const topic = uniq('errors');
      const [server, client] = [await bus(), await bus()];
      await server.serve(
        { topic, server: 'h1' },
        {
          conflict: () => {
            throw new ConflictError('generation 3 is stale', {
              code: 'placement.concurrent_update',
              details: { generation: 3 },
            });
          },
          missing: async () => {
            throw new NotFoundError('Instance abc could not be found.');
          },
          burst: () => {
            throw new ContractBurstError('too many builds');
          },
          crash: () => {
            throw new Error('secret internals at /srv/x');
          },
        },
      );
      await assert.rejects(client.call(topic, 'conflict'), (err) => {
        assert.ok(err instanceof ConflictError);
        assert.equal(err.code, 'placement.concurrent_update');
        assert.equal(err.status, 409);
        assert.equal(err.message, 'generation 3 is stale');
        assert.deepEqual(err.details, { generation: 3 });
        return true;
      });
      await assert.rejects(client.call(topic, 'missing'), (err) => {
        assert.ok(err instanceof NotFoundError);
        assert.equal(err.code, 'not_found');
        assert.equal(err.message, 'Instance abc could not be found.');
        return true;
      });
      await assert.rejects(client.call(topic, 'burst'), (err) => {
        assert.ok(err instanceof ContractBurstError);
        assert.equal(err.code, 'contract.burst');
        assert.equal(err.status, 429);
        return true;
      });
      await assert.rejects(client.call(topic, 'crash'), (err) => {
        assert.ok(err instanceof StratusError);
        assert.equal(err.code, 'internal');
        assert.doesNotMatch(err.message, /secret/);
        return true;
      });
    });

    it('answers an unknown method with an error', async () => {
      const topic = uniq('unknown');
      const [server, client] = [await bus(), await bus()];
      await server.serve({ topic, server: 'h1' }, { known: () => 1 });
      for (const method of ['nope', 'constructor', 'toString']) {
        await assert.rejects(client.call(topic, method, undefined, { timeoutMs: 5_000 }), (err) => {
          assert.ok(err instanceof NotImplementedError, `${method}: ${String(err)}`);
          assert.equal(err.code, 'bus.no_such_method');
          assert.match(err.message, new RegExp(`${topic} has no method ${method}`));
          return true;
        });
      }
    });

    it('splits notifications inside a pool and copies them across pools', async () => {
      const [p1, p2] = [uniq('pool'), uniq('pool')];
      const seen: Record<string, Notification[]> = { a: [], b: [], c: [], err: [] };
      await (await bus()).listen('notifications.info', (n) => void seen.a!.push(n), { pool: p1 });
      await (await bus()).listen('notifications.info', (n) => void seen.b!.push(n), { pool: p1 });
      await (await bus()).listen('notifications.info', (n) => void seen.c!.push(n), { pool: p2 });
      await (
        await bus()
      ).listen('notifications.error', (n) => void seen.err!.push(n), {
        pool: p2,
      });
      const publisher = await bus();
      const sent: Notification[] = [];
      for (let i = 0; i < 4; i++) {
        const n = notification(`instance.create.${i}`);
        sent.push(n);
        await publisher.publish(n);
      }
      await waitFor(() => seen.c!.length === 4 && seen.a!.length + seen.b!.length === 4);
      await sleep(100); // nothing more may arrive
      assert.equal(seen.a!.length + seen.b!.length, 4);
      assert.ok(seen.a!.length > 0 && seen.b!.length > 0, 'a pool splits its stream');
      assert.deepEqual(seen.c, sent);
      assert.equal(seen.err!.length, 0);
    });

    it('stop() waits for running handlers, then takes no more messages', async () => {
      const topic = uniq('stop');
      const [server, client] = [await bus(), await bus()];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let started = false;
      const consumer = await server.serve(
        { topic, server: 'h1' },
        {
          slow: async () => {
            started = true;
            await gate;
            return 'finished';
          },
        },
      );
      const reply = client.call(topic, 'slow', undefined, { timeoutMs: 10_000 });
      await waitFor(() => started);
      let stopped = false;
      const stopping = consumer.stop().then(() => (stopped = true));
      await sleep(50);
      assert.equal(stopped, false, 'stop() returned while a handler was running');
      release();
      await stopping;
      assert.equal(await reply, 'finished');
      await assert.rejects(client.call(topic, 'slow', undefined, { timeoutMs: 300 }), TimeoutError);
    });

    it('reports every call to the observer', async () => {
      const topic = uniq('observed');
      const events: [string, string, boolean, string | undefined][] = [];
      const observer: BusObserver = {
        onCall: (t, m, ms, ok, code) => {
          assert.ok(ms >= 0);
          events.push([t, m, ok, code]);
        },
      };
      const server = await bus();
      const client = await bus({ observer });
      await server.serve(
        { topic, server: 'h1' },
        {
          fine: () => 1,
          bad: () => {
            throw new ConflictError('no');
          },
        },
      );
      await client.call(topic, 'fine');
      await assert.rejects(client.call(topic, 'bad'));
      assert.deepEqual(events, [
        [topic, 'fine', true, undefined],
        [topic, 'bad', false, 'conflict'],
      ]);
    });

    it('close() fails waiting calls at once and reports unhealthy', async () => {
      const b = await bus();
      assert.equal(b.isHealthy(), true);
      const waiting = b.call(uniq('closing'), 'wait', undefined, { timeoutMs: 20_000 });
      const rejected = assert.rejects(waiting, ServiceUnavailableError);
      await sleep(50);
      const started = Date.now();
      await b.close();
      await rejected;
      assert.ok(Date.now() - started < 5_000);
      assert.equal(b.isHealthy(), false);
    });
  });
}

/** A unique topic or pool name, so tests sharing a broker never see each other's messages. */
export function uniq(prefix: string): string {
  return `${prefix}_${randomUUID().slice(0, 8)}`;
}

/** Polls `check` until it holds, failing the test after `ms`. */
export async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) assert.fail(`condition not met within ${ms} ms`);
    await sleep(10);
  }
}

function notification(eventType: string): Notification {
  return {
    eventType,
    priority: 'INFO',
    publisherId: 'compute.h1',
    payload: { nova_object: { id: eventType } },
    timestamp: new Date(0).toISOString(),
    messageId: randomUUID(),
  };
}
