import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { imageMigrations } from '../../src/image/db/image-migrations.js';
import { imageApiFixture, type ImageApiFixture } from '../../src/image/image-api-fixture.js';
import type { Database } from '../../src/platform/db/database.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { openDatabase } from '../../src/platform/db/open-database.js';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { sample, samplesSkip, shapeDiff } from './harness/upstream-samples.js';

describe('the image proxy (until 2.35) and image metadata (until 2.38)', () => {
  let images: ImageApiFixture;
  let imageDb: Database;
  let dir: string;
  let api: ComputeApiHandle;
  let id: string;
  let privateId: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-image-proxy-'));
    imageDb = await openDatabase(`sqlite:///${join(dir, 'image.sqlite')}`);
    await migrate(imageDb, imageMigrations);
    images = await imageApiFixture(imageDb);
    await images.app.listen({ host: '127.0.0.1', port: 0 });
    const address = images.app.server.address() as { port: number };
    api = await startComputeApi({ imageEndpoint: `http://127.0.0.1:${address.port}` });
    id = await images.createImage('admin', {
      name: 'cirros',
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'public',
      min_ram: 64,
      kernel_id: 'nokernel',
      auto_disk_config: 'True',
    });
    privateId = await images.createImage('u:p2', {
      name: 'mine',
      disk_format: 'raw',
      container_format: 'bare',
    });
  });
  after(async () => {
    await api?.close();
    await images?.close();
    await imageDb?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists and shows images in the legacy form', async () => {
    const list = await api.request('GET', '/v2.1/images', { token: 'u:p1' });
    assert.deepEqual(
      list.body.images.map((i: any) => i.name),
      ['cirros'],
    );
    const detail = await api.request('GET', '/v2.1/images/detail?minRam=32', { token: 'u:p1' });
    const img = detail.body.images[0];
    assert.equal(img.status, 'SAVING');
    assert.equal(img.progress, 25);
    assert.equal(img.minRam, 64);
    assert.equal(img.metadata.kernel_id, 'nokernel');
    assert.equal(img['OS-DCF:diskConfig'], 'AUTO');
    assert.equal(img.links[2].rel, 'alternate');
    const none = await api.request('GET', '/v2.1/images/detail?minRam=128', { token: 'u:p1' });
    assert.deepEqual(none.body.images, []);
  });

  it("keeps other projects' private images hidden (404) and refuses foreign deletes", async () => {
    const hidden = await api.request('GET', `/v2.1/images/${privateId}`, { token: 'u:p1' });
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.itemNotFound.message, 'Image not found.');
    const del = await api.request('DELETE', `/v2.1/images/${id}`, { token: 'u:p1' });
    assert.ok(del.status === 403 || del.status === 404, del.text);
  });

  it('reads image metadata until 2.38 and is gone at 2.36 / 2.39', async () => {
    const meta = await api.request('GET', `/v2.1/images/${id}/metadata`, { version: '2.38' });
    assert.equal(meta.body.metadata.kernel_id, 'nokernel');
    const key = await api.request('GET', `/v2.1/images/${id}/metadata/kernel_id`);
    assert.deepEqual(key.body, { meta: { kernel_id: 'nokernel' } });
    assert.equal(
      (await api.request('GET', `/v2.1/images/${id}/metadata`, { version: '2.39' })).status,
      404,
    );
    assert.equal((await api.request('GET', '/v2.1/images', { version: '2.36' })).status, 404);
    const write = await api.request('POST', `/v2.1/images/${id}/metadata`, {
      body: { metadata: { a: 'b' } },
    });
    assert.equal(write.status, 501);
  });

  it('matches upstream samples', { skip: samplesSkip() }, async () => {
    const opts = {
      nullable: ['image.OS-EXT-IMG-SIZE:size', 'images[].OS-EXT-IMG-SIZE:size'],
      freeform: ['image.metadata', 'images[].metadata'],
    };
    const show = await api.request('GET', `/v2.1/images/${id}`);
    const expectedShow = sample('images/image-get-resp.json');
    delete expectedShow.image.server;
    assert.deepEqual(shapeDiff(show.body, expectedShow, opts), []);
    const list = await api.request('GET', '/v2.1/images');
    assert.deepEqual(shapeDiff(list.body, sample('images/images-list-get-resp.json')), []);
    const meta = await api.request('GET', `/v2.1/images/${id}/metadata`);
    assert.deepEqual(
      shapeDiff(meta.body, sample('images/image-metadata-get-resp.json'), {
        freeform: ['metadata'],
      }),
      [],
    );
  });

  it('deletes an image for its owner with 204', async () => {
    const del = await api.request('DELETE', `/v2.1/images/${id}`);
    assert.equal(del.status, 204);
    assert.equal((await api.request('GET', `/v2.1/images/${id}`)).status, 404);
  });
});
