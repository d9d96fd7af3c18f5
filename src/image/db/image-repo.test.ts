// The image records, list queries, members and usage on every SQL dialect.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../../test/harness/dialects.js';
import type { Clock } from '../../common/clock.js';
import type { Database } from '../../platform/db/database.js';
import { imageMigrations } from './image-migrations.js';
import { listImageIds, type ImageListQuery } from './image-list-query.js';
import { DuplicateImageError, ImageRepo, type NewImage } from './image-repo.js';
import { DuplicateMemberError, MemberRepo } from './member-repo.js';
import { UsageRepo } from './usage-repo.js';

/** A clock that moves one second per reading, so created_at orders by creation. */
function tickingClock(): Clock {
  let t = Date.parse('2024-01-01T00:00:00Z');
  return { now: () => (t += 1000) };
}

function newImage(id: string, over: Partial<NewImage> = {}): NewImage {
  return {
    id,
    name: id,
    visibility: 'private',
    minDisk: 0,
    minRam: 0,
    owner: 'p1',
    protected: false,
    osHidden: false,
    diskFormat: 'qcow2',
    containerFormat: 'bare',
    properties: {},
    tags: [],
    ...over,
  };
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function query(over: Partial<ImageListQuery> = {}): ImageListQuery {
  return {
    viewer: { projectId: 'p1', isAdmin: false },
    memberStatus: 'accepted',
    osHidden: false,
    columns: [],
    properties: [],
    tags: [],
    sort: [
      { key: 'created_at', dir: 'desc' },
      { key: 'id', dir: 'desc' },
    ],
    limit: 100,
    ...over,
  };
}

forEachDialect('image repo', (ctx) => {
  async function setup(): Promise<{ db: Database; repo: ImageRepo; members: MemberRepo }> {
    const db = await ctx.open({ migrations: [imageMigrations] });
    const clock = tickingClock();
    return { db, repo: new ImageRepo(db, clock), members: new MemberRepo(db, clock) };
  }

  test('creates an image with properties and tags, and refuses its id again', async () => {
    const { repo } = await setup();
    const img = await repo.create(
      newImage(uuid(1), { properties: { os_distro: 'debian' }, tags: ['b', 'a', 'a'] }),
    );
    assert.equal(img.status, 'queued');
    assert.deepEqual(img.properties, { os_distro: 'debian' });
    assert.deepEqual(img.tags, ['a', 'b']);
    assert.equal(img.size, null);
    await assert.rejects(repo.create(newImage(uuid(1))), DuplicateImageError);
  });

  test('updates mutable fields, properties and tags in one read-modify-write', async () => {
    const { repo } = await setup();
    await repo.create(newImage(uuid(1), { properties: { a: '1', b: '2' } }));
    const next = await repo.update(uuid(1), (img) => ({
      ...img,
      name: 'renamed',
      protected: true,
      properties: { a: '1', c: '3' },
      tags: ['t'],
    }));
    assert.equal(next?.name, 'renamed');
    assert.equal(next?.protected, true);
    assert.deepEqual(next?.properties, { a: '1', c: '3' });
    assert.deepEqual(next?.tags, ['t']);
    assert.equal(await repo.update(uuid(9), (i) => i), undefined);
  });

  test('moves status only from the expected one, with the data attributes', async () => {
    const { repo } = await setup();
    await repo.create(newImage(uuid(1)));
    assert.equal(await repo.transition(uuid(1), 'active', 'deactivated'), false);
    assert.equal(await repo.transition(uuid(1), 'queued', 'saving', { worker_host: 'h' }), true);
    assert.equal(
      await repo.transition(uuid(1), 'saving', 'active', {
        size: 5 * 2 ** 32,
        checksum: 'c',
        location: 'file:///x',
      }),
      true,
    );
    const img = await repo.get(uuid(1));
    assert.equal(img?.status, 'active');
    assert.equal(img?.size, 5 * 2 ** 32);
    assert.equal(img?.location, 'file:///x');
  });

  test('soft-deletes: gone from get and lists, id still taken, members removed', async () => {
    const { db, repo, members } = await setup();
    await repo.create(newImage(uuid(1), { visibility: 'shared', tags: ['x'] }));
    await members.add(uuid(1), 'p2');
    const was = await repo.softDelete(uuid(1));
    assert.equal(was?.id, uuid(1));
    assert.equal(await repo.get(uuid(1)), undefined);
    assert.equal((await repo.get(uuid(1), { includeDeleted: true }))?.status, 'deleted');
    assert.deepEqual(await members.list(uuid(1)), []);
    assert.deepEqual(await listImageIds(db, query()), []);
    await assert.rejects(repo.create(newImage(uuid(1))), DuplicateImageError);
    assert.equal(await repo.softDelete(uuid(1)), undefined);
  });

  test('lists what a project may see: own, public, accepted shared; community on request', async () => {
    const { db, repo, members } = await setup();
    await repo.create(newImage(uuid(1), { owner: 'p1' }));
    await repo.create(newImage(uuid(2), { owner: 'p2' }));
    await repo.create(newImage(uuid(3), { owner: 'p2', visibility: 'public' }));
    await repo.create(newImage(uuid(4), { owner: 'p2', visibility: 'community' }));
    await repo.create(newImage(uuid(5), { owner: 'p2', visibility: 'shared' }));
    await repo.create(newImage(uuid(6), { owner: 'p2', visibility: 'shared' }));
    await repo.create(newImage(uuid(7), { owner: 'p1', visibility: 'community' }));
    await members.add(uuid(5), 'p1');
    await members.add(uuid(6), 'p1');
    await members.setStatus(uuid(6), 'p1', 'accepted');

    const ids = async (over: Partial<ImageListQuery> = {}) =>
      (await listImageIds(db, query(over))).sort();
    assert.deepEqual(await ids(), [uuid(1), uuid(3), uuid(6), uuid(7)]);
    assert.deepEqual(await ids({ memberStatus: 'pending' }), [uuid(1), uuid(3), uuid(5), uuid(7)]);
    assert.deepEqual(await ids({ memberStatus: 'all', visibility: 'shared' }), [uuid(5), uuid(6)]);
    assert.deepEqual(await ids({ visibility: 'community' }), [uuid(4), uuid(7)]);
    assert.deepEqual(await ids({ visibility: 'all' }), [
      uuid(1),
      uuid(3),
      uuid(4),
      uuid(6),
      uuid(7),
    ]);
    // An admin sees every image except other projects' community ones (unless asked).
    assert.deepEqual(await ids({ viewer: { projectId: 'p9', isAdmin: true } }), [
      uuid(1),
      uuid(2),
      uuid(3),
      uuid(5),
      uuid(6),
    ]);
  });

  test('filters on columns, ranges, properties, tags and os_hidden', async () => {
    const { db, repo } = await setup();
    await repo.create(newImage(uuid(1), { name: 'a', properties: { os: 'x' }, tags: ['t1'] }));
    await repo.create(newImage(uuid(2), { name: 'b', tags: ['t1', 't2'], diskFormat: 'raw' }));
    await repo.create(newImage(uuid(3), { name: 'c', osHidden: true }));
    await repo.transition(uuid(1), 'queued', 'active', { size: 100 });
    await repo.transition(uuid(2), 'queued', 'active', { size: 300 });
    const ids = async (over: Partial<ImageListQuery>) =>
      (await listImageIds(db, query(over))).sort();
    assert.deepEqual(await ids({ columns: [{ column: 'name', op: 'eq', value: 'b' }] }), [uuid(2)]);
    assert.deepEqual(await ids({ columns: [{ column: 'name', op: 'in', value: ['a', 'c'] }] }), [
      uuid(1),
    ]);
    assert.deepEqual(await ids({ columns: [{ column: 'size', op: 'gte', value: 200 }] }), [
      uuid(2),
    ]);
    assert.deepEqual(await ids({ properties: [{ name: 'os', value: 'x' }] }), [uuid(1)]);
    assert.deepEqual(await ids({ tags: ['t1', 't2'] }), [uuid(2)]);
    assert.deepEqual(await ids({ osHidden: true }), [uuid(3)]);
    assert.deepEqual(await ids({ columns: [{ column: 'protected', op: 'eq', value: true }] }), []);
  });

  test('sorts with NULLs as empty and pages with a marker', async () => {
    const { db, repo } = await setup();
    for (let i = 1; i <= 5; i++) {
      await repo.create(newImage(uuid(i), { name: i === 3 ? null : `n${6 - i}` }));
    }
    const sort: ImageListQuery['sort'] = [
      { key: 'name', dir: 'asc' },
      { key: 'created_at', dir: 'asc' },
      { key: 'id', dir: 'asc' },
    ];
    const all = await listImageIds(db, query({ sort }));
    assert.deepEqual(all, [uuid(3), uuid(5), uuid(4), uuid(2), uuid(1)]);
    const seen: string[] = [];
    let marker = undefined;
    for (;;) {
      const page = await listImageIds(db, query({ sort, limit: 2, marker }));
      if (page.length === 0) break;
      seen.push(...page);
      marker = await repo.get(page[page.length - 1]!);
    }
    assert.deepEqual(seen, all);
    const newestFirst = await listImageIds(db, query());
    assert.deepEqual(newestFirst, [uuid(5), uuid(4), uuid(3), uuid(2), uuid(1)]);
  });

  test('members: add once, accept, list, remove', async () => {
    const { repo, members } = await setup();
    await repo.create(newImage(uuid(1), { visibility: 'shared' }));
    const m = await members.add(uuid(1), 'p2');
    assert.equal(m.status, 'pending');
    await assert.rejects(members.add(uuid(1), 'p2'), DuplicateMemberError);
    assert.equal((await members.setStatus(uuid(1), 'p2', 'accepted'))?.status, 'accepted');
    assert.equal(await members.setStatus(uuid(1), 'p3', 'accepted'), undefined);
    assert.equal(await members.count(uuid(1)), 1);
    assert.equal(await members.remove(uuid(1), 'p2'), true);
    assert.equal(await members.remove(uuid(1), 'p2'), false);
  });

  test('usage counts live images and stored bytes of a project', async () => {
    const { db, repo } = await setup();
    const usage = new UsageRepo(db);
    await repo.create(newImage(uuid(1)));
    await repo.create(newImage(uuid(2)));
    await repo.create(newImage(uuid(3), { owner: 'p2' }));
    await repo.transition(uuid(1), 'queued', 'active', { size: 2 ** 40 });
    await repo.transition(uuid(2), 'queued', 'active', { size: 10 });
    assert.equal(await usage.imageCount('p1'), 2);
    assert.equal(await usage.storedBytes('p1'), 2 ** 40 + 10);
    assert.equal(await usage.storedBytes('p1', uuid(1)), 10);
    await repo.softDelete(uuid(2));
    assert.equal(await usage.imageCount('p1'), 1);
    assert.equal(await usage.storedBytes('p9'), 0);
  });
});
