// Sharing and visibility through the API: members, their answers, community and public images.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { dialectSuite } from '../../../test/harness/dialects.js';
import { imageMigrations } from '../db/image-migrations.js';
import { imageApiFixture, type ImageApiFixture } from '../image-api-fixture.js';

const ALICE = 'alice:p1';
const BOB = 'bob:p2';
const CAROL = 'carol:p3';

dialectSuite('sqlite', 'image members API', (ctx) => {
  let f: ImageApiFixture;
  before(async () => {
    f = await imageApiFixture(await ctx.open({ migrations: [imageMigrations] }));
  });
  after(() => f.close());

  const listed = async (token: string, query = '') => {
    const r = await f.call('GET', `/v2/images${query}`, { token });
    return (r.json().images as { id: string }[]).map((i) => i.id);
  };
  const message = (r: { json(): { message: string } }) => r.json().message.split('<br')[0] ?? '';

  it('shares an image: pending until the member accepts, then listed', async () => {
    const id = await f.createImage(ALICE, { visibility: 'shared' });
    const members = `/v2/images/${id}/members`;
    assert.deepEqual((await f.call('GET', members, { token: ALICE })).json(), {
      members: [],
      schema: '/v2/schemas/members',
    });
    const added = await f.call('POST', members, { token: ALICE, json: { member: 'p2' } });
    assert.equal(added.statusCode, 200);
    assert.equal(added.json().status, 'pending');
    assert.equal(added.json().schema, '/v2/schemas/member');
    const dup = await f.call('POST', members, { token: ALICE, json: { member: 'p2' } });
    assert.equal(dup.statusCode, 409);
    assert.equal(message(dup), `Member p2 is duplicated for image ${id}`);

    // A pending member can look the image up directly, but it is not in its default list.
    assert.equal((await f.call('GET', `/v2/images/${id}`, { token: BOB })).statusCode, 200);
    assert.ok(!(await listed(BOB)).includes(id));
    assert.ok((await listed(BOB, '?member_status=pending')).includes(id));
    assert.equal((await f.call('GET', `/v2/images/${id}`, { token: CAROL })).statusCode, 404);

    // Only the member answers, and only for itself.
    const byOwner = await f.call('PUT', `${members}/p2`, {
      token: ALICE,
      json: { status: 'accepted' },
    });
    assert.equal(byOwner.statusCode, 403);
    assert.equal(message(byOwner), 'You are not authorized to complete modify_member action.');
    const bad = await f.call('PUT', `${members}/p2`, { token: BOB, json: { status: 'maybe' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(
      message(bad),
      'Incorrect request: Status must be "pending", "accepted" or "rejected".',
    );
    const ok = await f.call('PUT', `${members}/p2`, { token: BOB, json: { status: 'accepted' } });
    assert.equal(ok.json().status, 'accepted');
    assert.ok((await listed(BOB)).includes(id));

    // The member may not share further nor remove itself; the owner may.
    const reshare = await f.call('POST', members, { token: BOB, json: { member: 'p3' } });
    assert.equal(reshare.statusCode, 403);
    assert.equal((await f.call('DELETE', `${members}/p2`, { token: BOB })).statusCode, 403);
    assert.equal((await f.call('GET', `${members}/p2`, { token: CAROL })).statusCode, 404);
    assert.equal((await f.call('DELETE', `${members}/p2`, { token: ALICE })).statusCode, 204);
    assert.equal((await f.call('GET', `/v2/images/${id}`, { token: BOB })).statusCode, 404);
  });

  it('shows each project only the memberships it may see', async () => {
    const id = await f.createImage(ALICE, { visibility: 'shared' });
    const members = `/v2/images/${id}/members`;
    for (const m of ['p2', 'p3'])
      await f.call('POST', members, { token: ALICE, json: { member: m } });
    const ids = async (token: string) =>
      ((await f.call('GET', members, { token })).json().members as { member_id: string }[]).map(
        (m) => m.member_id,
      );
    assert.deepEqual((await ids(ALICE)).sort(), ['p2', 'p3']);
    assert.deepEqual(await ids(BOB), ['p2']);
    assert.equal((await f.call('GET', `${members}/p3`, { token: BOB })).statusCode, 404);
    assert.equal((await f.call('GET', `${members}/p2`, { token: BOB })).json().member_id, 'p2');
  });

  it('refuses members on images that are not shared', async () => {
    const id = await f.createImage(ALICE, { visibility: 'private' });
    const members = `/v2/images/${id}/members`;
    const add = await f.call('POST', members, { token: ALICE, json: { member: 'p2' } });
    assert.equal(add.statusCode, 403);
    assert.equal(message(add), `Not allowed to create members for image ${id}.`);
    const list = await f.call('GET', members, { token: ALICE });
    assert.equal(
      message(list),
      `Not allowed to list members for image ${id}: Only shared images have members.`,
    );
    const show = await f.call('GET', `${members}/p2`, { token: ALICE });
    assert.equal(show.statusCode, 404);
    for (const [json, text] of [
      [{}, 'Member to be added not specified'],
      [{ member: '' }, "Member can't be empty"],
      [['p2'], 'Expected a member in the form: {"member": "image_id"}'],
      [{ member: 'p'.repeat(256) }, 'Member should not be greater than 255 characters.'],
    ] as const) {
      const r = await f.call('POST', members, { token: ALICE, json });
      assert.equal(r.statusCode, 400);
      assert.equal(message(r), text);
    }
  });

  it('lists community images only when asked, public ones always', async () => {
    const community = await f.createImage(ALICE, { visibility: 'community' });
    const pub = await f.createImage('admin', { visibility: 'public' });
    assert.ok(!(await listed(BOB)).includes(community));
    assert.ok((await listed(BOB, '?visibility=community')).includes(community));
    assert.ok((await listed(ALICE)).includes(community)); // its owner sees it anyway
    assert.ok((await listed(BOB)).includes(pub));
    assert.equal((await f.call('GET', `/v2/images/${community}`, { token: BOB })).statusCode, 200);
    // Visible is not writable.
    const del = await f.call('DELETE', `/v2/images/${community}`, { token: BOB });
    assert.equal(del.statusCode, 403);
  });
});
