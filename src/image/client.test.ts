// The image client against a listening image API: the calls other services make.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, it } from 'node:test';
import { dialectSuite } from '../../test/harness/dialects.js';
import {
  ForbiddenError,
  NotFoundError,
  StratusError,
  UnsupportedMediaTypeError,
} from '../common/errors.js';
import { ImageClient, imagePointer } from './client.js';
import { imageMigrations } from './db/image-migrations.js';
import { imageApiFixture, type ImageApiFixture } from './image-api-fixture.js';

dialectSuite('sqlite', 'image client', (ctx) => {
  let f: ImageApiFixture;
  let client: ImageClient;
  const alice = { token: 'alice:p1' };
  const bob = { token: 'bob:p2' };
  const data = Buffer.alloc(300_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 13) % 256;

  before(async () => {
    f = await imageApiFixture(await ctx.open({ migrations: [imageMigrations] }));
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    client = new ImageClient({
      endpoint: `http://127.0.0.1:${(f.app.server.address() as AddressInfo).port}/`,
    });
  });
  after(() => f.close());

  it('creates, uploads from a stream, shows and downloads with the caller token', async () => {
    const image = await client.create(alice, {
      name: 'from-client',
      disk_format: 'raw',
      container_format: 'bare',
      visibility: 'private',
    });
    assert.equal(image.status, 'queued');
    assert.equal(await client.download(alice, image.id), undefined);
    await client.upload(
      alice,
      image.id,
      Readable.from([data.subarray(0, 1000), data.subarray(1000)]),
    );
    const shown = await client.show(alice, image.id);
    assert.equal(shown.status, 'active');
    assert.equal(shown.size, data.length);

    const dl = await client.download(alice, image.id);
    assert.ok(dl);
    const chunks: Buffer[] = [];
    for await (const c of dl.stream) chunks.push(c as Buffer);
    assert.ok(Buffer.concat(chunks).equals(data));
    assert.equal(dl.checksum, createHash('md5').update(data).digest('hex'));
    assert.equal(dl.length, data.length);

    const part = await client.download(alice, image.id, { range: { start: 10, end: 19 } });
    const bytes: Buffer[] = [];
    for await (const c of part!.stream) bytes.push(c as Buffer);
    assert.ok(Buffer.concat(bytes).equals(data.subarray(10, 20)));
  });

  it("turns the image API's faults into typed errors", async () => {
    const id = (await client.create(alice, { visibility: 'private' })).id;
    await assert.rejects(
      client.show(bob, id),
      (e) => e instanceof NotFoundError && /No image found/.test(e.message),
    );
    await assert.rejects(client.delete(bob, id), NotFoundError);
    const qcow = await client.create(alice, { disk_format: 'qcow2', container_format: 'bare' });
    await assert.rejects(
      client.upload(alice, qcow.id, Readable.from([data])),
      (e) =>
        e instanceof UnsupportedMediaTypeError && /does not match stream data raw/.test(e.message),
    );
    await assert.rejects(client.create(bob, { owner: 'p1' }), ForbiddenError);
  });

  it('lists a page at a time and follows the pages', async () => {
    for (let i = 0; i < 5; i++) await client.create({ token: 'carol:p3' }, { name: `c${i}` });
    const page = await client.list(
      { token: 'carol:p3' },
      { limit: 2, sort: 'name:asc', owner: 'p3' },
    );
    assert.deepEqual(
      page.images.map((i) => i.name),
      ['c0', 'c1'],
    );
    assert.ok(page.next);
    const all: string[] = [];
    for await (const img of client.listAll(
      { token: 'carol:p3' },
      { limit: 2, sort: 'name:asc', owner: 'p3' },
    )) {
      all.push(img.name!);
    }
    assert.deepEqual(all, ['c0', 'c1', 'c2', 'c3', 'c4']);
  });

  it('changes an image with JSON-patch operations as the caller, all or none', async () => {
    const image = await client.create(alice, { name: 'patch-me', hw_disk_bus: 'ide', a: '1' });
    const patched = await client.update(alice, image.id, [
      { op: 'replace', path: imagePointer('hw_disk_bus'), value: 'virtio' },
      { op: 'add', path: imagePointer('os/distro~x'), value: 'debian' },
      { op: 'remove', path: imagePointer('a') },
    ]);
    assert.equal(patched.hw_disk_bus, 'virtio');
    assert.equal(patched['os/distro~x'], 'debian');
    assert.equal('a' in patched, false);
    assert.deepEqual((await client.show(alice, image.id))['os/distro~x'], 'debian');
    await assert.rejects(
      client.update(alice, image.id, [
        { op: 'add', path: '/b', value: '2' },
        { op: 'remove', path: '/missing' },
      ]),
      (e) => e instanceof StratusError && e.status === 409,
    );
    assert.equal('b' in (await client.show(alice, image.id)), false);
    await assert.rejects(
      client.update(bob, image.id, [{ op: 'add', path: '/b', value: '2' }]),
      NotFoundError,
    );
  });
});
