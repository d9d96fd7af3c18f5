// Image data through the API: upload with hashes and format inspection, download with ranges,
// refused and interrupted uploads, size limits, staging and glance-direct import.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { dialectSuite } from '../../../test/harness/dialects.js';
import { sleep } from '../../common/deadline.js';
import { imageMigrations } from '../db/image-migrations.js';
import type { ImageStatus } from '../domain/image.js';
import { imageApiFixture, type ImageApiFixture } from '../image-api-fixture.js';

const run = promisify(execFile);
const OCTETS = { 'content-type': 'application/octet-stream' };
const ALICE = 'alice:p1';
const dir = mkdtempSync(join(tmpdir(), 'stratus-image-data-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('hex');

/** Waits (bounded) until the image reaches a status; the assertion is on the status, not time. */
async function statusBecomes(f: ImageApiFixture, id: string, status: ImageStatus): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await f.repo.get(id))?.status === status) return;
    await sleep(50);
  }
  assert.equal((await f.repo.get(id))?.status, status);
}

dialectSuite('sqlite', 'image data API', (ctx) => {
  let f: ImageApiFixture;
  let qcow2: Buffer;
  let backed: Buffer;
  const raw = Buffer.alloc(3 * 1024 * 1024 + 17);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919) % 251;

  before(async () => {
    f = await imageApiFixture(await ctx.open({ migrations: [imageMigrations] }), {
      limits: {
        imageCountTotal: -1,
        userStorageQuota: 0,
        imageSizeCap: 8 * 1024 * 1024,
        imageMemberQuota: 128,
        imagePropertyQuota: 128,
        imageTagQuota: 128,
      },
    });
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, 'a.qcow2'), '64M']);
    await run('qemu-img', [
      'create',
      '-q',
      '-f',
      'qcow2',
      '-F',
      'qcow2',
      '-b',
      join(dir, 'a.qcow2'),
      join(dir, 'b.qcow2'),
    ]);
    qcow2 = readFileSync(join(dir, 'a.qcow2'));
    backed = readFileSync(join(dir, 'b.qcow2'));
  });
  after(() => f.close());

  const upload = (id: string, body: Buffer, headers: Record<string, string> = OCTETS) =>
    f.call('PUT', `/v2/images/${id}/file`, { token: ALICE, body, headers });

  describe('upload and download', () => {
    it('stores a raw image: active with size, md5 checksum and sha512 hash', async () => {
      const id = await f.createImage(ALICE);
      const r = await upload(id, raw);
      assert.equal(r.statusCode, 204, r.body);
      const img = (await f.call('GET', `/v2/images/${id}`, { token: ALICE })).json();
      assert.equal(img.status, 'active');
      assert.equal(img.size, raw.length);
      assert.equal(img.virtual_size, raw.length);
      assert.equal(img.checksum, md5(raw));
      assert.equal(img.os_hash_algo, 'sha512');
      assert.equal(img.os_hash_value, sha512(raw));

      const down = await f.call('GET', `/v2/images/${id}/file`, { token: ALICE });
      assert.equal(down.statusCode, 200);
      assert.equal(down.headers['content-md5'], md5(raw));
      assert.equal(down.headers['content-type'], 'application/octet-stream');
      assert.equal(Number(down.headers['content-length']), raw.length);
      assert.ok(down.rawPayload.equals(raw));

      const again = await upload(id, raw);
      assert.equal(again.statusCode, 409);
      assert.ok(
        again
          .json()
          .message.startsWith('Image status transition from active to saving is not allowed'),
      );
    });

    it('serves byte ranges as Glance does', async () => {
      const id = await f.createImage(ALICE);
      await upload(id, raw);
      const get = (range: string) =>
        f.call('GET', `/v2/images/${id}/file`, { token: ALICE, headers: { range } });
      const first = await get('bytes=0-4');
      assert.equal(first.statusCode, 206);
      assert.equal(first.headers['content-range'], `bytes 0-4/${raw.length}`);
      assert.ok(first.rawPayload.equals(raw.subarray(0, 5)));
      const tail = await get('bytes=-10');
      assert.ok(tail.rawPayload.equals(raw.subarray(raw.length - 10)));
      const open = await get(`bytes=${raw.length - 3}-`);
      assert.equal(
        open.headers['content-range'],
        `bytes ${raw.length - 3}-${raw.length - 1}/${raw.length}`,
      );
      assert.equal((await get(`bytes=${raw.length}-`)).statusCode, 416);
      assert.equal((await get('bytes=5-1')).statusCode, 416);
      assert.equal((await get('bytes=0-1,3-4')).statusCode, 400);
    });

    it('inspects qcow2 content and records its virtual size', async () => {
      const id = await f.createImage(ALICE, { disk_format: 'qcow2', container_format: 'bare' });
      assert.equal((await upload(id, qcow2)).statusCode, 204);
      const img = (await f.call('GET', `/v2/images/${id}`, { token: ALICE })).json();
      assert.equal(img.virtual_size, 64 * 1024 * 1024);
      assert.equal(img.checksum, md5(qcow2));
    });

    it('answers 204 for an image without data and refuses deactivated downloads to non-admins', async () => {
      const id = await f.createImage(ALICE);
      assert.equal(
        (await f.call('GET', `/v2/images/${id}/file`, { token: ALICE })).statusCode,
        204,
      );
      await upload(id, raw.subarray(0, 1000));
      assert.equal(
        (await f.call('POST', `/v2/images/${id}/actions/deactivate`, { token: ALICE })).statusCode,
        204,
      );
      const refused = await f.call('GET', `/v2/images/${id}/file`, { token: ALICE });
      assert.equal(refused.statusCode, 403);
      assert.equal((await f.call('GET', `/v2/images/${id}/file`)).statusCode, 200);
      assert.equal(
        (await f.call('POST', `/v2/images/${id}/actions/reactivate`, { token: ALICE })).statusCode,
        204,
      );
      assert.equal(
        (await f.call('GET', `/v2/images/${id}/file`, { token: ALICE })).statusCode,
        200,
      );
    });
  });

  describe('refusals leave the image queued and nothing stored', () => {
    it('refuses a qcow2 with a backing file, saying why', async () => {
      const before = f.storedFiles();
      const id = await f.createImage(ALICE, { disk_format: 'qcow2', container_format: 'bare' });
      const r = await upload(id, backed);
      assert.equal(r.statusCode, 415);
      assert.match(
        r.json().message,
        /Image failed safety checks \(backing_file: Image has a backing file\)/,
      );
      const img = await f.repo.get(id);
      assert.equal(img?.status, 'queued');
      assert.match(img?.lastError ?? '', /backing_file/);
      assert.deepEqual(f.storedFiles(), before);
    });

    it('refuses raw data claimed to be qcow2', async () => {
      const id = await f.createImage(ALICE, { disk_format: 'qcow2', container_format: 'bare' });
      const r = await upload(id, raw);
      assert.equal(r.statusCode, 415);
      assert.match(r.json().message, /Image disk_format qcow2 does not match stream data raw/);
      assert.equal((await f.repo.get(id))?.status, 'queued');
    });

    it('skips inspection for containers other than bare', async () => {
      const id = await f.createImage(ALICE, { disk_format: 'qcow2', container_format: 'ovf' });
      assert.equal((await upload(id, raw.subarray(0, 4096))).statusCode, 204);
    });

    it('refuses a wrong content type, missing formats and images over image_size_cap', async () => {
      const id = await f.createImage(ALICE);
      const json = await upload(id, raw.subarray(0, 10), { 'content-type': 'application/json' });
      assert.equal(json.statusCode, 415);
      assert.match(json.json().message, /Invalid content type application\/json$/);
      const bare = await f.createImage(ALICE, { name: 'no formats' });
      const noFormat = await upload(bare, raw.subarray(0, 10));
      assert.equal(noFormat.statusCode, 400);
      assert.ok(
        noFormat.json().message.startsWith('Properties disk_format, container_format must be set'),
      );
      const big = Buffer.alloc(8 * 1024 * 1024 + 1);
      const tooBig = await upload(id, big);
      assert.equal(tooBig.statusCode, 413);
      assert.ok(tooBig.json().message.startsWith('The incoming image is too large'));
      assert.equal((await f.repo.get(id))?.status, 'queued');
    });

    it('puts an upload cut off mid-stream back to queued with no partial file', async () => {
      const before = f.storedFiles();
      const id = await f.createImage(ALICE);
      await f.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = f.app.server.address() as AddressInfo;
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: `/v2/images/${id}/file`,
        headers: { ...OCTETS, 'x-auth-token': ALICE, 'content-length': String(raw.length) },
      });
      req.on('error', () => undefined);
      req.write(raw.subarray(0, 256 * 1024));
      await statusBecomes(f, id, 'saving');
      req.destroy();
      await statusBecomes(f, id, 'queued');
      assert.deepEqual(f.storedFiles(), before);
      // And the image takes a complete upload afterwards.
      assert.equal((await upload(id, raw)).statusCode, 204);
    });
  });

  describe('glance-direct import', () => {
    it('advertises glance-direct', async () => {
      const r = await f.call('GET', '/v2/info/import', { token: ALICE });
      assert.deepEqual(r.json()['import-methods'].value, ['glance-direct']);
    });

    it('stages, imports, and ends active with the data inspected and hashed', async () => {
      const id = await f.createImage(ALICE, { disk_format: 'qcow2', container_format: 'bare' });
      const early = await f.call('POST', `/v2/images/${id}/import`, {
        token: ALICE,
        json: { method: { name: 'glance-direct' } },
      });
      assert.equal(early.statusCode, 409);
      const staged = await f.call('PUT', `/v2/images/${id}/stage`, {
        token: ALICE,
        body: qcow2,
        headers: OCTETS,
      });
      assert.equal(staged.statusCode, 204, staged.body);
      const img = await f.repo.get(id);
      assert.equal(img?.status, 'uploading');
      assert.equal(img?.size, qcow2.length);
      const imp = await f.call('POST', `/v2/images/${id}/import`, {
        token: ALICE,
        json: { method: { name: 'glance-direct' } },
      });
      assert.equal(imp.statusCode, 202, imp.body);
      await statusBecomes(f, id, 'active');
      const done = (await f.call('GET', `/v2/images/${id}`, { token: ALICE })).json();
      assert.equal(done.checksum, md5(qcow2));
      assert.equal(done.virtual_size, 64 * 1024 * 1024);
      assert.ok(!f.storedFiles().some((p) => p.startsWith('staging/')));
    });

    it('drops staged data that fails inspection and goes back to queued', async () => {
      const id = await f.createImage(ALICE, { disk_format: 'qcow2', container_format: 'bare' });
      await f.call('PUT', `/v2/images/${id}/stage`, {
        token: ALICE,
        body: backed,
        headers: OCTETS,
      });
      const imp = await f.call('POST', `/v2/images/${id}/import`, {
        token: ALICE,
        json: { method: { name: 'glance-direct' } },
      });
      assert.equal(imp.statusCode, 202);
      await statusBecomes(f, id, 'queued');
      assert.match((await f.repo.get(id))?.lastError ?? '', /backing_file/);
      assert.ok(!f.storedFiles().some((p) => p.startsWith('staging/')));
    });

    it("refuses unknown methods and malformed bodies with Glance's messages", async () => {
      const id = await f.createImage(ALICE);
      for (const [json, message] of [
        [{}, "Import request requires a 'method' field."],
        [{ method: {} }, "Import request requires a 'name' field."],
        [{ method: { name: 'web-download' } }, "Unknown import method name 'web-download'."],
      ] as const) {
        const r = await f.call('POST', `/v2/images/${id}/import`, { token: ALICE, json });
        assert.equal(r.statusCode, 400);
        assert.ok(r.json().message.startsWith(message));
      }
    });
  });
});
