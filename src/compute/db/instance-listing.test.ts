import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newInstanceRow } from '../../../test/harness/compute-fixtures.js';
import { forEachDialect } from '../../../test/harness/dialects.js';
import { BadRequestError } from '../../common/errors.js';
import type { Database } from '../../platform/db/database.js';
import { cellMigrations } from './cell-migrations.js';
import { listInstances, type InstanceListing } from './instance-listing.js';
import { InstanceStore } from './instance-store.js';

const uuid = (i: number) => `b0000000-0000-0000-0000-${String(i).padStart(12, '0')}`;

/**
 * 30 instances in p1 (host h0, h1, h2 or none by i % 4, created a second apart) and 5 in p2;
 * instance 7 is deleted and 9 is in ERROR.
 */
async function seed(db: Database): Promise<void> {
  let t = Date.parse('2026-01-01T00:00:00Z');
  const store = new InstanceStore(db, { now: () => t });
  for (let i = 0; i < 35; i++) {
    t += 1000;
    await store.create(
      newInstanceRow(uuid(i), {
        project_id: i < 30 ? 'p1' : 'p2',
        host: i % 4 === 3 ? null : `h${i % 4}`,
        display_name: `vm-${i}`,
        vm_state: i === 9 ? 'error' : 'active',
        task_state: null,
      }),
    );
  }
  await store.softDelete(uuid(7));
}

const base: InstanceListing = { projectId: 'p1', deleted: false, sort: [], limit: 1000 };
const names = (rows: { display_name: string | null }[]) => rows.map((r) => r.display_name);

/** Every page of `listing`, following markers, as the API's next links would. */
async function allPages(db: Database, listing: InstanceListing): Promise<string[]> {
  const seen: string[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await listInstances(db, { ...listing, marker });
    seen.push(...page.map((r) => r.display_name!));
    if (page.length < listing.limit) return seen;
    marker = page[page.length - 1]!.uuid;
  }
}

forEachDialect('instance listing', (ctx) => {
  test('sorts in SQL with NULLs first ascending and last descending, ties by id', async () => {
    const db = await ctx.open({ migrations: [cellMigrations] });
    await seed(db);
    const newest = await listInstances(db, { ...base, sort: [['created_at', 'desc']], limit: 3 });
    assert.deepEqual(names(newest), ['vm-29', 'vm-28', 'vm-27']);

    const byHost = await listInstances(db, { ...base, sort: [['host', 'asc']] });
    assert.equal(byHost.length, 29);
    // Hostless rows first, then h0, h1, h2; within a host by id ascending.
    assert.deepEqual(names(byHost.slice(0, 3)), ['vm-3', 'vm-11', 'vm-15']);
    assert.deepEqual(
      byHost.map((r) => r.host),
      [...byHost.map((r) => r.host)].sort((a, b) => (a ?? '').localeCompare(b ?? '')),
    );
    const byHostDesc = await listInstances(db, { ...base, sort: [['host', 'desc']] });
    assert.equal(byHostDesc[0]!.host, 'h2');
    assert.equal(byHostDesc[byHostDesc.length - 1]!.host, null);
  });

  test('pages by marker across ties and NULLs without skipping or repeating a row', async () => {
    const db = await ctx.open({ migrations: [cellMigrations] });
    await seed(db);
    for (const sort of [
      [['host', 'asc']],
      [['host', 'desc']],
      [
        ['host', 'desc'],
        ['display_name', 'asc'],
      ],
      [['created_at', 'desc']],
    ] as InstanceListing['sort'][]) {
      const whole = names(await listInstances(db, { ...base, sort }));
      assert.deepEqual(
        await allPages(db, { ...base, sort, limit: 4 }),
        whole,
        JSON.stringify(sort),
      );
    }
  });

  test('filters in SQL: project, deleted, equality, states, lock', async () => {
    const db = await ctx.open({ migrations: [cellMigrations] });
    await seed(db);
    const all = await listInstances(db, { ...base, projectId: undefined });
    assert.equal(all.length, 34);
    const deleted = await listInstances(db, { ...base, deleted: true });
    assert.deepEqual(names(deleted), ['vm-7']);
    assert.equal((await listInstances(db, { ...base, deleted: 'any' })).length, 30);
    const onH1 = await listInstances(db, { ...base, equals: { host: 'h1' } });
    assert.ok(onH1.length > 0 && onH1.every((r) => r.host === 'h1'));
    const errored = await listInstances(db, {
      ...base,
      states: [{ vmState: 'error', taskStates: null }],
    });
    assert.deepEqual(names(errored), ['vm-9']);
    assert.deepEqual(await listInstances(db, { ...base, states: [] }), []);
    assert.equal((await listInstances(db, { ...base, locked: true })).length, 0);
    assert.equal((await listInstances(db, { ...base, locked: false })).length, 29);
  });

  test('filters after SQL fill the page from later batches', async () => {
    const db = await ctx.open({ migrations: [cellMigrations] });
    await seed(db);
    const batches: number[] = [];
    const rows = await listInstances(db, {
      ...base,
      sort: [['created_at', 'asc']],
      limit: 2,
      keep: (rs) => {
        batches.push(rs.length);
        return rs.filter((r) => /-2\d$/.test(r.display_name!));
      },
    });
    assert.deepEqual(names(rows), ['vm-20', 'vm-21']);
    assert.equal(batches.length, 1);
    assert.ok(batches[0]! >= 22, 'one batch holds the first 22 rows');
    const none = await listInstances(db, { ...base, keep: () => [] });
    assert.deepEqual(none, []);
  });

  test('a marker naming no instance is a 400; a deleted one still marks the place', async () => {
    const db = await ctx.open({ migrations: [cellMigrations] });
    await seed(db);
    await assert.rejects(
      listInstances(db, { ...base, marker: uuid(99) }),
      (err: unknown) =>
        err instanceof BadRequestError && /marker \[.*\] not found/.test(err.message),
    );
    const after = await listInstances(db, {
      ...base,
      sort: [['created_at', 'asc']],
      marker: uuid(7),
      limit: 1,
    });
    assert.deepEqual(names(after), ['vm-8']);
  });
});
