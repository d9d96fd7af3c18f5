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
      version: '2.39',
    });
    assert.equal(write.status, 404);
  });

  it('writes image metadata through Glance until 2.38: merge, replace all, one key, delete', async () => {
    const img = await images.createImage('u:p2', { name: 'meta', a: '1', b: '2' });
    const as = { token: 'u:p2' };
    const merged = await api.request('POST', `/v2.1/images/${img}/metadata`, {
      ...as,
      body: { metadata: { b: '20', c: '3' } },
    });
    assert.equal(merged.status, 200, merged.text);
    assert.deepEqual(merged.body, { metadata: { a: '1', b: '20', c: '3' } });

    const all = await api.request('PUT', `/v2.1/images/${img}/metadata`, {
      ...as,
      body: { metadata: { c: '30', d: '4' } },
    });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.body, { metadata: { c: '30', d: '4' } });
    const read = await api.request('GET', `/v2.1/images/${img}/metadata`, as);
    assert.deepEqual(read.body, { metadata: { c: '30', d: '4' } });
    // Core fields are not properties: replacing all properties keeps the name.
    assert.equal((await api.request('GET', `/v2.1/images/${img}`, as)).body.image.name, 'meta');

    const one = await api.request('PUT', `/v2.1/images/${img}/metadata/e`, {
      ...as,
      body: { meta: { e: 'five' } },
    });
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.body, { meta: { e: 'five' } });
    const mismatch = await api.request('PUT', `/v2.1/images/${img}/metadata/e`, {
      ...as,
      body: { meta: { f: 'x' } },
    });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.body.badRequest.message, 'Request body and URI mismatch');

    const del = await api.request('DELETE', `/v2.1/images/${img}/metadata/c`, as);
    assert.equal(del.status, 204, del.text);
    const missing = await api.request('DELETE', `/v2.1/images/${img}/metadata/c`, as);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.itemNotFound.message, 'Invalid metadata key');
    assert.deepEqual((await api.request('GET', `/v2.1/images/${img}/metadata`, as)).body, {
      metadata: { d: '4', e: 'five' },
    });
  });

  it('refuses metadata writes past metadata_items (403), on invisible or foreign images', async () => {
    const img = await images.createImage('u:p3', { name: 'quota', a: '1' });
    const admin = await api.request('PUT', '/v2.1/os-quota-sets/p3', {
      body: { quota_set: { metadata_items: 2 } },
    });
    assert.equal(admin.status, 200, admin.text);
    const as = { token: 'u:p3' };
    const ok = await api.request('POST', `/v2.1/images/${img}/metadata`, {
      ...as,
      body: { metadata: { b: '2' } },
    });
    assert.equal(ok.status, 200, ok.text);
    const over = await api.request('POST', `/v2.1/images/${img}/metadata`, {
      ...as,
      body: { metadata: { c: '3' } },
    });
    assert.equal(over.status, 403);
    assert.deepEqual(over.body, {
      forbidden: { code: 403, message: 'Image metadata limit exceeded' },
    });
    for (const [method, url, body] of [
      ['PUT', `/v2.1/images/${img}/metadata`, { metadata: { x: '1', y: '2', z: '3' } }],
      ['PUT', `/v2.1/images/${img}/metadata/c`, { meta: { c: '3' } }],
    ] as const) {
      const r = await api.request(method, url, { ...as, body });
      assert.equal(r.status, 403, `${method} ${url}: ${r.text}`);
    }
    // Another project's private image is not found; a public one it may not change.
    const hidden = await api.request('POST', `/v2.1/images/${img}/metadata`, {
      token: 'u:p4',
      body: { metadata: { c: '3' } },
    });
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.itemNotFound.message, 'Image not found.');
    const foreign = await api.request('PUT', `/v2.1/images/${id}/metadata/k`, {
      token: 'u:p4',
      body: { meta: { k: 'v' } },
    });
    assert.equal(foreign.status, 403, foreign.text);
    assert.equal(foreign.body.forbidden.message, `Not authorized for image ${id}.`);
    const bad = await api.request('POST', `/v2.1/images/${img}/metadata`, {
      ...as,
      body: { metadata: { k: 5 } },
    });
    assert.equal(bad.status, 400);
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
    const post = await api.request('POST', `/v2.1/images/${id}/metadata`, {
      body: sample('images/image-metadata-post-req.json'),
    });
    assert.equal(post.body.metadata.Label, 'UpdatedImage');
    assert.equal(post.body.metadata.kernel_id, 'False');
    assert.equal(post.body.metadata.auto_disk_config, 'True');
    for (const [method, path, name] of [
      ['PUT', 'metadata', 'image-metadata-put'],
      ['PUT', 'metadata/auto_disk_config', 'image-meta-key-put'],
    ] as const) {
      const r = await api.request(method, `/v2.1/images/${id}/${path}`, {
        body: sample(`images/${name}-req.json`),
      });
      assert.deepEqual(r.body, sample(`images/${name}-resp.json`));
    }
  });

  it('deletes an image for its owner with 204', async () => {
    const del = await api.request('DELETE', `/v2.1/images/${id}`);
    assert.equal(del.status, 204);
    assert.equal((await api.request('GET', `/v2.1/images/${id}`)).status, 404);
  });
});
