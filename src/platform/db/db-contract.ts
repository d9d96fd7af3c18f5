/**
 * The contract every dialect of the database layer must meet, written once and registered per
 * dialect by the test files (`sqlite.test.ts`, `postgres.test.ts`) through test/harness/dialects.
 * It runs against real servers: what it checks (lock deadlines, concurrent migrations,
 * serialization retries) only shows against the real thing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { ConfigError } from '../../common/errors.js';
import { fromDbBoolean, toDbBoolean } from './booleans.js';
import type { Database, MigrationSet } from './database.js';
import { countedSet, countRows, createKv, gate } from './db-contract-fixtures.js';
import type { DialectContext } from './dialect-context.js';
import { isForeignKeyViolation, isLockTimeout, isUniqueViolation } from './db-errors.js';
import { fromJsonColumn, toJsonColumn } from './json-column.js';
import { migrate, migrationStatus } from './migrate.js';
import { openDatabase } from './open-database.js';
import { fromDbTimestamp, now, toDbTimestamp } from './timestamps.js';
import { withTransaction } from './with-transaction.js';

/** Registers the database-layer contract tests for the dialect of `ctx`. */
export function registerDbContract(ctx: DialectContext): void {
  const retryable = ctx.dialect === 'sqlite' ? 'SQLITE_BUSY' : '40001';

  test('opens, runs SQL, reports its dialect and closes', async () => {
    const url = await ctx.freshUrl();
    const db = await openDatabase(url);
    try {
      assert.equal(db.dialect, ctx.dialect);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db.kysely);
      assert.equal(rows[0]?.one, 1);
      assert.equal(db.safeUrl.includes(':***@') || !/:[^/@]+@/.test(db.safeUrl), true);
      if (ctx.dialect === 'postgres') {
        const stats = db.poolStats?.();
        assert.ok(stats && stats.total >= 1 && stats.waiting === 0);
      } else {
        assert.equal(db.poolStats, undefined);
      }
    } finally {
      await db.close();
    }
  });

  test('COUNT(*) comes back as a number', async () => {
    const db = await ctx.open();
    await createKv(db);
    assert.equal(await countRows(db, 'kv'), 0);
  });

  test('migrations apply once, in name order, and a second run is a no-op', async () => {
    const db = await ctx.open();
    const { set, calls } = countedSet('svc');
    assert.deepEqual((await migrationStatus(db, set)).pending, ['0001_first', '0002_second']);
    assert.deepEqual(await migrate(db, set), ['0001_first', '0002_second']);
    assert.deepEqual(await migrate(db, set), []);
    assert.deepEqual(calls, ['0001_first', '0002_second']);
    const status = await migrationStatus(db, set);
    assert.deepEqual(status.pending, []);
    assert.deepEqual(
      status.applied.map((a) => a.name),
      ['0001_first', '0002_second'],
    );
    assert.doesNotThrow(() => fromDbTimestamp(status.applied[0]!.appliedAt));
  });

  test('services sharing a database keep separate migration histories', async () => {
    const db = await ctx.open();
    const a = countedSet('alpha');
    const b = countedSet('beta');
    await migrate(db, a.set);
    assert.deepEqual((await migrationStatus(db, b.set)).pending, ['0001_first', '0002_second']);
    await migrate(db, b.set);
    assert.equal(b.calls.length, 2);
  });

  test('a failing migration rolls back and stays pending', async () => {
    const db = await ctx.open();
    const set: MigrationSet = {
      service: 'broken',
      migrations: [
        {
          name: '0001_fails',
          async up(k) {
            await k.schema.createTable('half_done').addColumn('id', 'integer').execute();
            throw new Error('boom');
          },
        },
      ],
    };
    await assert.rejects(migrate(db, set), /boom/);
    assert.deepEqual((await migrationStatus(db, set)).pending, ['0001_fails']);
    // Transactional DDL on both dialects: the table went with the rollback.
    await assert.rejects(sql`select * from half_done`.execute(db.kysely));
  });

  test('status reports unknown migrations and migrate refuses an out-of-order one', async () => {
    const db = await ctx.open();
    const { set } = countedSet('svc');
    await migrate(db, { service: 'svc', migrations: set.migrations.slice(0, 1) });
    // Only 0002 applied so far; a new 0001_zzz... sorts before it.
    const late: MigrationSet = {
      service: 'svc',
      migrations: [{ name: '0001_late', up: async () => undefined }],
    };
    assert.deepEqual(
      (await migrationStatus(db, late)).unknown.map((u) => u.name),
      ['0002_second'],
    );
    await assert.rejects(migrate(db, late), /sorts before already applied 0002_second/);
  });

  test('concurrent migrate from two Database instances applies each migration once', async () => {
    const url = await ctx.freshUrl();
    // A short busy timeout: on SQLite the loser's wait blocks this single-threaded test.
    const options = { busyTimeoutMs: 50 };
    const a = await ctx.open({ url, options });
    const b = await ctx.open({ url, options });
    const { set, calls } = countedSet('race', 30);
    const [ra, rb] = await Promise.all([migrate(a, set), migrate(b, set)]);
    assert.deepEqual([...ra, ...rb].sort(), ['0001_first', '0002_second']);
    assert.deepEqual(calls, ['0001_first', '0002_second']);
  });

  test('a transaction that throws rolls back and is not retried', async () => {
    const db = await ctx.open();
    await createKv(db);
    let calls = 0;
    await assert.rejects(
      withTransaction(db, async (trx) => {
        calls += 1;
        await trx.insertInto('kv').values({ k: 'a', v: 1 }).execute();
        throw new Error('nope');
      }),
      /nope/,
    );
    assert.equal(calls, 1);
    assert.equal(await countRows(db, 'kv'), 0);
  });

  test(`withTransaction retries a ${retryable} failure and keeps only the last attempt`, async () => {
    const db = await ctx.open();
    await createKv(db);
    let calls = 0;
    const result = await withTransaction(
      db,
      async (trx) => {
        calls += 1;
        await trx.insertInto('kv').values({ k: 'a', v: calls }).execute();
        if (calls < 3) throw Object.assign(new Error('transient'), { code: retryable });
        return 'ok';
      },
      { baseDelayMs: 1 },
    );
    assert.equal(result, 'ok');
    assert.equal(calls, 3);
    const rows = await db.kysely.selectFrom('kv').selectAll().execute();
    assert.deepEqual(rows, [{ k: 'a', v: 3 }]);
  });

  test('withTransaction gives up after its attempts with the last error', async () => {
    const db = await ctx.open();
    let calls = 0;
    await assert.rejects(
      withTransaction(
        db,
        async () => {
          calls += 1;
          throw Object.assign(new Error(`transient ${calls}`), { code: retryable });
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
      /transient 3/,
    );
    assert.equal(calls, 3);
  });

  test('withTransaction survives a real write conflict between two connections', async () => {
    const url = await ctx.freshUrl();
    const a = await ctx.open({ url, options: { busyTimeoutMs: 20 } });
    const b = await ctx.open({ url, options: { busyTimeoutMs: 20 } });
    await createKv(a);
    await a.kysely.insertInto('kv').values({ k: 'n', v: 0 }).execute();
    const bothRead = { a: gate(), b: gate() };
    let attempts = 0;
    // Read-modify-write from both sides; each waits until the other has read once, so on
    // PostgreSQL one of them must fail with 40001, and on SQLite one waits for the write lock.
    const increment = (db: Database, mine: ReturnType<typeof gate>, theirs: typeof mine) =>
      withTransaction(
        db,
        async (trx) => {
          attempts += 1;
          const row = await trx
            .selectFrom('kv')
            .select('v')
            .where('k', '=', 'n')
            .executeTakeFirstOrThrow();
          mine.open();
          await Promise.race([theirs.wait, new Promise((r) => setTimeout(r, 200))]);
          await trx
            .updateTable('kv')
            .set({ v: (row.v as number) + 1 })
            .where('k', '=', 'n')
            .execute();
        },
        { isolation: 'repeatable read', attempts: 20, baseDelayMs: 10 },
      );
    await Promise.all([increment(a, bothRead.a, bothRead.b), increment(b, bothRead.b, bothRead.a)]);
    const row = await a.kysely.selectFrom('kv').select('v').executeTakeFirstOrThrow();
    // No lost update. On PostgreSQL the loser's update fails with 40001 and its whole function
    // reruns (three calls); on SQLite the loser's BEGIN IMMEDIATE fails busy before its function
    // runs, so only the final value shows that it was retried.
    assert.equal(row.v, 2);
    assert.equal(attempts, ctx.dialect === 'postgres' ? 3 : 2);
  });

  test('unique and foreign-key violations are recognised', async () => {
    const db = await ctx.open();
    await db.kysely.schema
      .createTable('parent')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.unique())
      .execute();
    await db.kysely.schema
      .createTable('child')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('parent_id', 'integer', (c) => c.notNull().references('parent.id'))
      .execute();
    await db.kysely.insertInto('parent').values({ id: 1, name: 'a' }).execute();
    await db.kysely.insertInto('child').values({ id: 1, parent_id: 1 }).execute();
    const failure = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (err) {
        return err;
      }
      assert.fail('expected the statement to fail');
    };
    const dupKey = await failure(
      db.kysely.insertInto('parent').values({ id: 1, name: 'b' }).execute(),
    );
    const dupName = await failure(
      db.kysely.insertInto('parent').values({ id: 2, name: 'a' }).execute(),
    );
    const noParent = await failure(
      db.kysely.insertInto('child').values({ id: 2, parent_id: 99 }).execute(),
    );
    const stillReferenced = await failure(
      db.kysely.deleteFrom('parent').where('id', '=', 1).execute(),
    );
    const syntax = await failure(sql`selec 1`.execute(db.kysely));
    for (const e of [dupKey, dupName]) {
      assert.equal(isUniqueViolation(e), true);
      assert.equal(isForeignKeyViolation(e), false);
    }
    for (const e of [noParent, stillReferenced]) {
      assert.equal(isForeignKeyViolation(e), true);
      assert.equal(isUniqueViolation(e), false);
    }
    assert.equal(isUniqueViolation(syntax) || isForeignKeyViolation(syntax), false);
    // Wrapped errors are recognised through `cause`.
    assert.equal(isUniqueViolation(new Error('wrapped', { cause: dupKey })), true);
  });

  test('JSON, boolean and timestamp columns round-trip and timestamps sort', async () => {
    const db = await ctx.open();
    await db.kysely.schema
      .createTable('doc')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('body', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    const body = { a: [1, 'x', null], nested: { ü: 'é✓', n: 1.5 }, t: true };
    const times = [
      Date.UTC(2031, 0, 1),
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2024, 4, 1, 9),
    ];
    for (const [i, t] of times.entries()) {
      await db.kysely
        .insertInto('doc')
        .values({
          id: i,
          body: i === 0 ? toJsonColumn(body) : null,
          enabled: toDbBoolean(i % 2 === 0),
          created_at: now({ now: () => t }),
        })
        .execute();
    }
    const rows = await db.kysely.selectFrom('doc').selectAll().orderBy('created_at').execute();
    assert.deepEqual(
      rows.map((r) => fromDbTimestamp(r.created_at as string).getTime()),
      [...times].sort((x, y) => x - y),
    );
    const first = rows.find((r) => r.id === 0)!;
    assert.deepEqual(fromJsonColumn(first.body as string), body);
    assert.equal(fromJsonColumn(rows.find((r) => r.id === 1)!.body as string | null), null);
    assert.deepEqual(rows.map((r) => [r.id, fromDbBoolean(r.enabled)]).sort(), [
      [0, true],
      [1, false],
      [2, true],
    ]);
    const later = await db.kysely
      .selectFrom('doc')
      .select('id')
      .where('created_at', '>', toDbTimestamp(Date.UTC(2024, 0, 1)))
      .orderBy('id')
      .execute();
    assert.deepEqual(
      later.map((r) => r.id),
      [0, 2],
    );
  });

  test('a lock wait past its deadline fails instead of hanging', async () => {
    const url = await ctx.freshUrl();
    const options = { busyTimeoutMs: 150, lockTimeoutMs: 150 };
    const holder = await ctx.open({ url, options });
    const waiter = ctx.dialect === 'sqlite' ? await ctx.open({ url, options }) : holder;
    await createKv(holder);
    await holder.kysely.insertInto('kv').values({ k: 'x', v: 0 }).execute();
    const release = gate();
    const locked = gate();
    const holding = holder.kysely.transaction().execute(async (trx) => {
      await trx.updateTable('kv').set({ v: 1 }).where('k', '=', 'x').execute();
      locked.open();
      await release.wait;
    });
    await locked.wait;
    const started = Date.now();
    try {
      await assert.rejects(
        waiter.kysely.updateTable('kv').set({ v: 2 }).where('k', '=', 'x').execute(),
        (err) => isLockTimeout(err),
      );
      const waited = Date.now() - started;
      assert.ok(waited >= 100 && waited < 5_000, `waited ${waited} ms`);
    } finally {
      release.open();
      await holding;
    }
  });

  test('bad URLs are ConfigErrors that name the problem', async () => {
    const bad = [
      ['mysql+pymysql://nova:secret@db/nova', /unsupported database backend 'mysql'/],
      ['not a url', /invalid database URL/],
      ['sqlite://somehost/x.db', /has a host part/],
      ['postgresql://nova:secret@db.example:5432/', /must name exactly one database/],
      ['postgresql://nova:secret@db.example:port/nova', /invalid postgresql URL/],
    ] as const;
    for (const [url, message] of bad) {
      await assert.rejects(openDatabase(url), (err: unknown) => {
        assert.ok(err instanceof ConfigError, `${url}: ${String(err)}`);
        assert.match(err.message, message);
        assert.doesNotMatch(err.message, /secret/);
        return true;
      });
    }
  });
}
