import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';

const ED25519 =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKu9yKWp6AxKd1C7kGIhQk7a0VwMnjq9E+r0tsHgyXbq me@host';

describe('key pairs API', () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi({ config: { quota: { key_pairs: '3' } } });
  });
  after(() => api.close());

  const post = (keypair: Record<string, unknown>, token = 'alice:p1', version = '2.92') =>
    api.request('POST', '/v2.1/os-keypairs', { token, version, body: { keypair } });

  it('imports ssh keys, computing the MD5 fingerprint', async () => {
    const r = await post({ name: 'ed', public_key: ED25519 });
    assert.equal(r.status, 201, r.text);
    assert.match(r.body.keypair.fingerprint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    assert.equal(r.body.keypair.user_id, 'alice');
    assert.equal('private_key' in r.body.keypair, false);
  });

  it('rejects keys that are not keys (400) and duplicate names (409)', async () => {
    const bad = await post({ name: 'bad', public_key: 'ssh-rsa notbase64!' });
    assert.equal(bad.status, 400);
    assert.equal(
      bad.body.badRequest.message,
      'Keypair data is invalid: failed to generate fingerprint',
    );
    const dup = await post({ name: 'ed', public_key: ED25519 });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.conflictingRequest.message, "Key pair 'ed' already exists.");
  });

  it('generates x509 certificates before 2.92 and imports them with their SHA-1 fingerprint', async () => {
    const made = await post({ name: 'cert', type: 'x509' }, 'alice:p1', '2.91');
    assert.equal(made.status, 201, made.text);
    assert.match(made.body.keypair.public_key, /BEGIN CERTIFICATE/);
    assert.ok(made.body.keypair.private_key.length > 100);
    await api.request('DELETE', '/v2.1/os-keypairs/cert', { token: 'alice:p1', version: '2.2' });
    const imported = await post({
      name: 'cert2',
      type: 'x509',
      public_key: made.body.keypair.public_key,
    });
    assert.equal(imported.body.keypair.fingerprint, made.body.keypair.fingerprint);
    assert.equal(imported.body.keypair.type, 'x509');
  });

  it('enforces the key_pairs quota per user with a 403', async () => {
    const r1 = await post({ name: 'third', public_key: ED25519 });
    assert.equal(r1.status, 201);
    const r2 = await post({ name: 'fourth', public_key: ED25519 });
    assert.equal(r2.status, 403);
    assert.equal(r2.body.forbidden.message, 'Quota exceeded, too many key pairs.');
    const other = await post({ name: 'fourth', public_key: ED25519 }, 'bob:p1');
    assert.equal(other.status, 201, 'another user has their own count');
  });

  it('keeps users to their own key pairs, admins may name a user from 2.10', async () => {
    const own = await api.request('GET', '/v2.1/os-keypairs', { token: 'bob:p1' });
    assert.deepEqual(
      own.body.keypairs.map((k: any) => k.keypair.name),
      ['fourth'],
    );
    const peek = await api.request('GET', '/v2.1/os-keypairs?user_id=alice', {
      token: 'bob:p1',
      version: '2.10',
    });
    assert.equal(peek.status, 403);
    const admin = await api.request('GET', '/v2.1/os-keypairs?user_id=alice', { version: '2.10' });
    assert.deepEqual(
      admin.body.keypairs.map((k: any) => k.keypair.name),
      ['cert2', 'ed', 'third'],
    );
    // Before 2.10 the parameter is dropped: the admin sees their own (none).
    const old = await api.request('GET', '/v2.1/os-keypairs?user_id=alice', { version: '2.9' });
    assert.deepEqual(old.body.keypairs, []);
    const create = await api.request('POST', '/v2.1/os-keypairs', {
      version: '2.10',
      body: { keypair: { name: 'for-carol', user_id: 'carol', public_key: ED25519 } },
    });
    assert.equal(create.body.keypair.user_id, 'carol');
  });

  it('pages from 2.35 with a next link and refuses unknown markers', async () => {
    const page = await api.request('GET', '/v2.1/os-keypairs?limit=2', {
      token: 'alice:p1',
      version: '2.35',
    });
    assert.deepEqual(
      page.body.keypairs.map((k: any) => k.keypair.name),
      ['cert2', 'ed'],
    );
    assert.match(page.body.keypairs_links[0].href, /marker=ed/);
    const rest = await api.request('GET', '/v2.1/os-keypairs?limit=2&marker=ed', {
      token: 'alice:p1',
      version: '2.35',
    });
    assert.deepEqual(
      rest.body.keypairs.map((k: any) => k.keypair.name),
      ['third'],
    );
    const bad = await api.request('GET', '/v2.1/os-keypairs?marker=zzz', {
      token: 'alice:p1',
      version: '2.35',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.badRequest.message, 'Marker zzz could not be found.');
  });

  it('validates names by microversion and deletes with 202 then 204', async () => {
    const dotted = await post({ name: 'a.b@c', public_key: ED25519 }, 'dave:p1', '2.91');
    assert.equal(dotted.status, 400);
    const ok = await post({ name: 'a.b@c', public_key: ED25519 }, 'dave:p1', '2.92');
    assert.equal(ok.status, 201);
    const v21 = await api.request('DELETE', '/v2.1/os-keypairs/a.b@c', {
      token: 'dave:p1',
      version: '2.1',
    });
    assert.equal(v21.status, 202);
    const missing = await api.request('DELETE', '/v2.1/os-keypairs/a.b@c', {
      token: 'dave:p1',
      version: '2.2',
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.itemNotFound.message, 'Keypair a.b@c not found for user dave');
  });
});
