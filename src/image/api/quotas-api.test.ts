// Quotas through the API: image count and stored bytes per project, properties, tags, members.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { dialectSuite } from '../../../test/harness/dialects.js';
import { imageMigrations } from '../db/image-migrations.js';
import { imageApiFixture, type ImageApiFixture } from '../image-api-fixture.js';

const OCTETS = { 'content-type': 'application/octet-stream' };
const PATCH = { 'content-type': 'application/openstack-images-v2.1-json-patch' };

dialectSuite('sqlite', 'image quotas', (ctx) => {
  let f: ImageApiFixture;
  before(async () => {
    f = await imageApiFixture(await ctx.open({ migrations: [imageMigrations] }), {
      limits: {
        imageCountTotal: 2,
        userStorageQuota: 4096,
        imageSizeCap: 1024 * 1024,
        imageMemberQuota: 1,
        imagePropertyQuota: 2,
        imageTagQuota: 2,
      },
    });
  });
  after(() => f.close());
  const message = (r: { json(): { message: string } }) => r.json().message.split('<br')[0] ?? '';

  it('counts images per project (image_count_total) with 413', async () => {
    await f.createImage('a:count');
    await f.createImage('a:count');
    const third = await f.call('POST', '/v2/images', { token: 'a:count', json: {} });
    assert.equal(third.statusCode, 413);
    assert.match(
      message(third),
      /breached\.\n\nThe response body:\nProject count is over a limit for \[Resource image_count_total is over limit of 2 due to current usage 2 and delta 1\]$/,
    );
    const usage = await f.call('GET', '/v2/info/usage', { token: 'a:count' });
    assert.deepEqual(usage.json().usage.image_count_total, { usage: 2, limit: 2 });
    // Deleting one makes room; another project is not affected.
    const [first] = (await f.call('GET', '/v2/images', { token: 'a:count' })).json().images;
    await f.call('DELETE', `/v2/images/${first.id}`, { token: 'a:count' });
    assert.equal(
      (await f.call('POST', '/v2/images', { token: 'a:count', json: {} })).statusCode,
      201,
    );
    assert.equal(
      (await f.call('POST', '/v2/images', { token: 'b:other', json: {} })).statusCode,
      201,
    );
  });

  it('limits the bytes a project stores (user_storage_quota), before and while streaming', async () => {
    const one = await f.createImage('a:bytes');
    const two = await f.createImage('a:bytes');
    const big = await f.call('PUT', `/v2/images/${one}/file`, {
      token: 'a:bytes',
      body: Buffer.alloc(5000),
      headers: OCTETS,
    });
    assert.equal(big.statusCode, 413);
    assert.equal(
      message(big),
      'Image exceeds the storage quota: The size of the data 5000 will exceed the limit. 4096 bytes remaining.',
    );
    const fits = await f.call('PUT', `/v2/images/${one}/file`, {
      token: 'a:bytes',
      body: Buffer.alloc(3000),
      headers: OCTETS,
    });
    assert.equal(fits.statusCode, 204);

    // Without a declared size the quota is found while streaming (chunked upload).
    const before = f.storedFiles();
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = f.app.server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'PUT',
          path: `/v2/images/${two}/file`,
          headers: { ...OCTETS, 'x-auth-token': 'a:bytes', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 4; i++) req.write(Buffer.alloc(1000));
      req.end();
    });
    assert.equal(status, 413);
    assert.equal((await f.repo.get(two))?.status, 'queued');
    assert.deepEqual(f.storedFiles(), before);
  });

  it('limits properties, tags and members per image', async () => {
    const props = await f.call('POST', '/v2/images', {
      token: 'a:props',
      json: { a: '1', b: '2', c: '3' },
    });
    assert.equal(props.statusCode, 413);
    assert.equal(
      message(props),
      'The limit has been exceeded on the number of allowed image properties. Attempted: 3, Maximum: 2',
    );
    const id = await f.createImage('a:props', { a: '1', b: '2', visibility: 'shared' });
    const patch = await f.call('PATCH', `/v2/images/${id}`, {
      token: 'a:props',
      headers: PATCH,
      body: JSON.stringify([{ op: 'add', path: '/c', value: '3' }]),
    });
    assert.equal(patch.statusCode, 413);
    await f.call('PUT', `/v2/images/${id}/tags/t1`, { token: 'a:props' });
    await f.call('PUT', `/v2/images/${id}/tags/t2`, { token: 'a:props' });
    const tag = await f.call('PUT', `/v2/images/${id}/tags/t3`, { token: 'a:props' });
    assert.equal(tag.statusCode, 413);
    assert.match(message(tag), /^Image tag limit exceeded for image .*Attempted: 3, Maximum: 2:$/);
    const members = `/v2/images/${id}/members`;
    assert.equal(
      (await f.call('POST', members, { token: 'a:props', json: { member: 'x' } })).statusCode,
      200,
    );
    const second = await f.call('POST', members, { token: 'a:props', json: { member: 'y' } });
    assert.equal(second.statusCode, 413);
    assert.match(message(second), /^Image member limit exceeded for image/);
  });
});
