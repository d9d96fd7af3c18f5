// The images API through inject: versions, auth, create, list, show, PATCH, delete, actions, tags.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialectSuite } from '../../../test/harness/dialects.js';
import { imageMigrations } from '../db/image-migrations.js';
import { imageApiFixture, type ImageApiFixture } from '../image-api-fixture.js';

const PATCH = { 'content-type': 'application/openstack-images-v2.1-json-patch' };
const ALICE = 'alice:p1';
const BOB = 'bob:p2';

dialectSuite('sqlite', 'image API', (ctx) => {
  let f: ImageApiFixture;
  before(async () => {
    f = await imageApiFixture(await ctx.open({ migrations: [imageMigrations] }));
  });
  after(() => f.close());

  describe('discovery and auth', () => {
    it('answers GET / with 300 and GET /versions with 200, without a token', async () => {
      const root = await f.call('GET', '/', { token: null, headers: { host: 'img.test:9292' } });
      assert.equal(root.statusCode, 300);
      const current = root.json().versions.find((v: { status: string }) => v.status === 'CURRENT');
      assert.deepEqual(current, {
        id: 'v2.17',
        status: 'CURRENT',
        links: [{ rel: 'self', href: 'http://img.test:9292/v2/' }],
      });
      assert.equal((await f.call('GET', '/versions', { token: null })).statusCode, 200);
    });

    it('answers paths outside /v2 with the version choices, and unknown /v2 paths with 404', async () => {
      const unversioned = await f.call('GET', '/images', { token: null });
      assert.equal(unversioned.statusCode, 300);
      assert.ok(Array.isArray(unversioned.json().versions));
      assert.equal((await f.call('GET', '/v1/images', { token: null })).statusCode, 300);
      assert.equal((await f.call('GET', '/v2/bogus', { token: null })).statusCode, 401);
      assert.equal((await f.call('GET', '/v2/bogus')).statusCode, 404);
    });

    it("refuses a missing token with keystonemiddleware's 401", async () => {
      const r = await f.call('GET', '/v2/images', { token: null });
      assert.equal(r.statusCode, 401);
      assert.equal(r.headers['www-authenticate'], 'Keystone uri="http://identity.test:5000"');
      assert.equal(r.json().error.code, 401);
    });

    it('renders faults as WebOb does: JSON, HTML or plain text by Accept', async () => {
      const url = '/v2/images/00000000-0000-4000-8000-000000000000';
      const json = await f.call('GET', url);
      assert.equal(json.statusCode, 404);
      assert.deepEqual(json.json(), {
        message: 'No image found with ID 00000000-0000-4000-8000-000000000000<br /><br />\n\n\n',
        code: '404 Not Found',
        title: 'Not Found',
      });
      const html = await f.call('GET', url, { headers: { accept: '*/*' } });
      assert.match(String(html.headers['content-type']), /^text\/html/);
      assert.match(html.body, /<h1>404 Not Found<\/h1>/);
      const plain = await f.call('GET', url, { headers: { accept: '' } });
      assert.equal(plain.body.split('\n')[0], '404 Not Found');
    });

    it('answers an unsupported method with 405 and Allow', async () => {
      const r = await f.call('PUT', '/v2/images');
      assert.equal(r.statusCode, 405);
      assert.equal(r.headers.allow, 'GET, POST');
      assert.match(r.json().message, /^The method PUT is not allowed for this resource/);
    });
  });

  describe('create and show', () => {
    it('creates a queued image with the given id, properties and tags', async () => {
      const id = '11111111-2222-4333-8444-555555555555';
      const r = await f.call('POST', '/v2/images', {
        token: ALICE,
        json: {
          id,
          name: 'cirros',
          disk_format: 'qcow2',
          container_format: 'bare',
          tags: ['t'],
          os_distro: 'cirros',
        },
      });
      assert.equal(r.statusCode, 201);
      assert.match(String(r.headers.location), new RegExp(`/v2/images/${id}$`));
      assert.equal(r.headers['openstack-image-import-methods'], 'glance-direct');
      const img = r.json();
      assert.equal(img.id, id);
      assert.equal(img.status, 'queued');
      assert.equal(img.visibility, 'shared');
      assert.equal(img.owner, 'p1');
      assert.equal(img.os_distro, 'cirros');
      assert.deepEqual(img.tags, ['t']);
      assert.equal(img.size, null);
      assert.equal(img.file, `/v2/images/${id}/file`);
      assert.match(img.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      const again = await f.call('POST', '/v2/images', { token: ALICE, json: { id } });
      assert.equal(again.statusCode, 409);
    });

    it("validates with Glance's schema, read-only and reserved rules", async () => {
      const bad = await f.call('POST', '/v2/images', { token: ALICE, json: { visibility: 'x' } });
      assert.equal(bad.statusCode, 400);
      assert.match(
        bad.json().message,
        /^Provided object does not match schema 'image': 'x' is not one of \['community', 'public', 'private', 'shared'\]/,
      );
      const notString = await f.call('POST', '/v2/images', { token: ALICE, json: { foo: 1 } });
      assert.match(notString.json().message, /1 is not of type 'string'/);
      for (const [json, message] of [
        [{ self: 'x' }, "Attribute 'self' is read-only."],
        [{ size: 3 }, "Attribute 'size' is read-only."],
        [{ os_glance_x: 'y' }, "Attribute 'os_glance_x' is reserved."],
        [{ deleted: 'y' }, "Attribute 'deleted' is reserved."],
      ] as const) {
        const r = await f.call('POST', '/v2/images', { token: ALICE, json });
        assert.equal(r.statusCode, 403, JSON.stringify(json));
        assert.equal(r.json().message.split('<br')[0], message);
      }
      const noBody = await f.call('POST', '/v2/images', { token: ALICE });
      assert.equal(noBody.json().message.split('<br')[0], 'Body expected in request.');
      const badJson = await f.call('POST', '/v2/images', { token: ALICE, body: '{' });
      assert.equal(badJson.json().message.split('<br')[0], 'Malformed JSON in request body.');
    });

    it('lets only admins make an image public or owned by another project', async () => {
      const pub = await f.call('POST', '/v2/images', {
        token: ALICE,
        json: { visibility: 'public' },
      });
      assert.equal(pub.statusCode, 403);
      assert.match(pub.json().message, /publicize_image/);
      const other = await f.call('POST', '/v2/images', { token: ALICE, json: { owner: 'p2' } });
      assert.equal(other.statusCode, 403);
      assert.match(other.json().message, /You are not permitted to create images owned by 'p2'/);
      const admin = await f.call('POST', '/v2/images', {
        json: { visibility: 'public', owner: 'p2' },
      });
      assert.equal(admin.statusCode, 201);
      const community = await f.call('POST', '/v2/images', {
        token: ALICE,
        json: { visibility: 'community' },
      });
      assert.equal(community.statusCode, 201);
    });

    it("hides another project's private image behind a 404", async () => {
      const id = await f.createImage(ALICE, { visibility: 'private' });
      assert.equal((await f.call('GET', `/v2/images/${id}`, { token: ALICE })).statusCode, 200);
      const bob = await f.call('GET', `/v2/images/${id}`, { token: BOB });
      assert.equal(bob.statusCode, 404);
      const patch = await f.call('PATCH', `/v2/images/${id}`, {
        token: BOB,
        headers: PATCH,
        body: JSON.stringify([{ op: 'replace', path: '/name', value: 'x' }]),
      });
      assert.equal(patch.statusCode, 404);
      assert.equal((await f.call('DELETE', `/v2/images/${id}`, { token: BOB })).statusCode, 404);
      assert.equal((await f.call('GET', `/v2/images/${id}`)).statusCode, 200); // admin
    });
  });

  describe('list', () => {
    const ids: string[] = [];
    before(async () => {
      for (const [i, over] of [
        { name: 'l-a', min_ram: 512, tags: ['x', 'y'] },
        { name: 'l-b', os_hidden: true },
        { name: 'l-c', protected: true, tags: ['x'], arch: 'arm' },
        { name: 'l-d', visibility: 'private' },
      ].entries()) {
        ids[i] = await f.createImage('carol:p3', {
          disk_format: 'raw',
          container_format: 'bare',
          ...over,
        });
      }
    });
    const names = async (query: string) => {
      const r = await f.call('GET', `/v2/images?${query}`, { token: 'carol:p3' });
      assert.equal(r.statusCode, 200, r.body);
      return (r.json().images as { name: string }[]).map((i) => i.name);
    };

    it('filters by name, tag, range, property, os_hidden and protected', async () => {
      assert.deepEqual(await names('name=l-a'), ['l-a']);
      assert.deepEqual(await names('name=in:l-a,l-d&sort=name:asc'), ['l-a', 'l-d']);
      assert.deepEqual(await names('tag=x&tag=y'), ['l-a']);
      assert.deepEqual(await names('tag=x&sort_key=name&sort_dir=asc'), ['l-a', 'l-c']);
      assert.deepEqual(await names('arch=arm'), ['l-c']);
      assert.deepEqual(await names('os_hidden=true'), ['l-b']);
      assert.deepEqual(await names('protected=true'), ['l-c']);
      assert.deepEqual(await names('owner=p3&min_ram=512'), ['l-a']);
      assert.deepEqual(await names('owner=p3&sort=name:desc'), ['l-d', 'l-c', 'l-a']);
      assert.deepEqual(await names('owner=p3&created_at=lt:2000-01-01T00:00:00Z'), []);
      assert.equal((await names('owner=p3&created_at=gte:2000-01-01T00:00:00Z')).length, 3);
    });

    it('pages with limit, marker and the next link', async () => {
      const seen: string[] = [];
      let url = '/v2/images?owner=p3&limit=2&sort=name:asc';
      for (let page = 0; page < 5; page++) {
        const r = await f.call('GET', url, { token: 'carol:p3' });
        const body = r.json();
        seen.push(...body.images.map((i: { name: string }) => i.name));
        assert.equal(body.schema, '/v2/schemas/images');
        if (!body.next) break;
        assert.match(body.next, /^\/v2\/images\?owner=p3&limit=2&sort=name%3Aasc&marker=/);
        url = body.next;
      }
      assert.deepEqual(seen, ['l-a', 'l-c', 'l-d']);
    });

    it("refuses bad parameters with Glance's messages", async () => {
      for (const [q, message] of [
        ['limit=x', 'limit param must be an integer'],
        ['limit=-1', 'limit param must be positive'],
        ['sort_key=bogus', 'Invalid sort key: bogus.'],
        ['sort_dir=up', 'Invalid sort direction: up'],
        ['sort=name&sort_key=name', 'Old and new sorting syntax cannot be combined'],
        ['visibility=secret', 'Invalid visibility value: secret'],
        ['member_status=maybe', 'Invalid status: maybe'],
        ['os_hidden=maybe', "Invalid value 'maybe' for 'os_hidden' filter."],
        ['size_min=big', 'Unable to filter on a range with a non-numeric value.'],
        ['name=xx:yy', "Unable to filter by unknown operator 'xx'."],
        ['created_at=lt:yesterday', 'Bad "created_at" query filter format.'],
        ['marker=00000000-0000-4000-8000-000000000009', 'No image found with ID'],
      ]) {
        const r = await f.call('GET', `/v2/images?${q}`, { token: 'carol:p3' });
        assert.equal(r.statusCode, 400, q);
        assert.ok(r.json().message.startsWith(message), `${q}: ${r.json().message}`);
      }
    });
  });

  describe('update, delete, actions, tags', () => {
    const patch = (id: string, ops: unknown, token = ALICE, headers = PATCH) =>
      f.call('PATCH', `/v2/images/${id}`, { token, headers, body: JSON.stringify(ops) });

    it('adds, replaces and removes core and custom properties', async () => {
      const id = await f.createImage(ALICE);
      const r = await patch(id, [
        { op: 'replace', path: '/name', value: 'new' },
        { op: 'add', path: '/hw_disk_bus', value: 'virtio' },
        { op: 'add', path: '/min_ram', value: 256 },
        { op: 'replace', path: '/tags', value: ['a', 'b'] },
      ]);
      assert.equal(r.statusCode, 200, r.body);
      const img = r.json();
      assert.equal(img.name, 'new');
      assert.equal(img.hw_disk_bus, 'virtio');
      assert.equal(img.min_ram, 256);
      assert.deepEqual(img.tags, ['a', 'b']);
      const removed = await patch(id, [{ op: 'remove', path: '/hw_disk_bus' }]);
      assert.equal(removed.json().hw_disk_bus, undefined);
      const errors: [unknown, number, string][] = [
        [[{ op: 'remove', path: '/hw_disk_bus' }], 409, 'Property hw_disk_bus does not exist.'],
        [[{ op: 'replace', path: '/nope', value: 'x' }], 409, 'Property nope does not exist.'],
        [[{ op: 'remove', path: '/name' }], 403, 'Property name may not be removed.'],
        [
          [{ op: 'replace', path: '/status', value: 'active' }],
          403,
          "Attribute 'status' is read-only.",
        ],
        [
          [{ op: 'add', path: '/locations/-', value: { url: 'http://x/y', metadata: {} } }],
          403,
          "It's not allowed to add locations if locations are invisible.",
        ],
        [
          [{ op: 'replace', path: '/visibility', value: 'public' }],
          403,
          'You are not authorized to complete publicize_image action.',
        ],
        [
          [{ op: 'replace', path: '/owner', value: 'p2' }],
          403,
          "Owner can't be updated by non admin.",
        ],
        [[{ op: 'move', path: '/name' }], 400, 'Invalid operation: `move`.'],
        [[{ op: 'add', path: 'name', value: 'x' }], 400, 'Pointer `name` does not start with "/".'],
        [
          [{ op: 'add', path: '/a/b', value: 'x' }],
          400,
          "Invalid JSON pointer for this resource: '/a/b'",
        ],
        [
          [{ op: 'add', path: '/min_ram', value: 'lots' }],
          400,
          "Provided object does not match schema 'image'",
        ],
        [{ op: 'add' }, 400, 'Request body must be a JSON array of operation objects.'],
        [
          [{ op: 'add', path: `/${'k'.repeat(256)}`, value: 'x' }],
          400,
          'Custom property should not be greater than 255 characters.',
        ],
      ];
      for (const [ops, status, message] of errors) {
        const e = await patch(id, ops);
        assert.equal(e.statusCode, status, JSON.stringify(ops));
        assert.ok(
          e.json().message.startsWith(message),
          `${JSON.stringify(ops)}: ${e.json().message}`,
        );
      }
      const wrongType = await patch(id, [], ALICE, { 'content-type': 'application/json' });
      assert.equal(wrongType.statusCode, 415);
      assert.equal(
        wrongType.headers['accept-patch'],
        'application/openstack-images-v2.0-json-patch, application/openstack-images-v2.1-json-patch',
      );
      const draft4 = await patch(id, [{ add: '/name', value: 'x' }], ALICE, {
        'content-type': 'application/openstack-images-v2.0-json-patch',
      });
      assert.equal(draft4.statusCode, 409);
      assert.ok(draft4.json().message.startsWith('Property name already present.'));
      const pub = await patch(
        id,
        [{ op: 'replace', path: '/visibility', value: 'public' }],
        'admin',
      );
      assert.equal(pub.json().visibility, 'public');
      // Another project sees the public image but may not change it.
      const bob = await patch(id, [{ op: 'replace', path: '/name', value: 'x' }], BOB);
      assert.equal(bob.statusCode, 403);
    });

    it('deletes unless protected; a deleted image is gone', async () => {
      const id = await f.createImage(ALICE, { protected: true });
      const refused = await f.call('DELETE', `/v2/images/${id}`, { token: ALICE });
      assert.equal(refused.statusCode, 403);
      assert.ok(
        refused.json().message.startsWith(`Image ${id} is protected and cannot be deleted.`),
      );
      await patch(id, [{ op: 'replace', path: '/protected', value: false }]);
      assert.equal((await f.call('DELETE', `/v2/images/${id}`, { token: ALICE })).statusCode, 204);
      assert.equal((await f.call('GET', `/v2/images/${id}`, { token: ALICE })).statusCode, 404);
      const twice = await f.call('DELETE', `/v2/images/${id}`, { token: ALICE });
      assert.equal(twice.statusCode, 404);
    });

    it('deactivates only active images; tags come and go', async () => {
      const id = await f.createImage(ALICE);
      const de = await f.call('POST', `/v2/images/${id}/actions/deactivate`, { token: ALICE });
      assert.equal(de.statusCode, 403);
      assert.ok(de.json().message.startsWith("Not allowed to deactivate image in status 'queued'"));
      assert.equal(
        (await f.call('PUT', `/v2/images/${id}/tags/blue`, { token: ALICE })).statusCode,
        204,
      );
      assert.equal(
        (await f.call('PUT', `/v2/images/${id}/tags/blue`, { token: ALICE })).statusCode,
        204,
      );
      assert.deepEqual((await f.call('GET', `/v2/images/${id}`, { token: ALICE })).json().tags, [
        'blue',
      ]);
      assert.equal(
        (await f.call('DELETE', `/v2/images/${id}/tags/blue`, { token: ALICE })).statusCode,
        204,
      );
      assert.equal(
        (await f.call('DELETE', `/v2/images/${id}/tags/blue`, { token: ALICE })).statusCode,
        404,
      );
      const long = await f.call('PUT', `/v2/images/${id}/tags/${'x'.repeat(256)}`, {
        token: ALICE,
      });
      assert.equal(long.statusCode, 400);
    });
  });
});
