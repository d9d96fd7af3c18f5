import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identityFixture, type IdentityFixture } from './identity-test-fixture.js';

describe('identity API: tokens', () => {
  let f: IdentityFixture;
  let admin: string;
  before(async () => {
    f = await identityFixture();
    admin = (await f.login('admin', f.adminPassword)).token;
  });
  after(() => f.close());

  it('discovers v3 at / (300) and /v3', async () => {
    const root = await f.call('GET', '/', '');
    assert.equal(root.status, 300);
    assert.equal(root.body.versions.values[0].id, 'v3.14');
    assert.match(root.body.versions.values[0].links[0].href, /\/v3\/$/);
    const v3 = await f.call('GET', '/v3', '');
    assert.equal(v3.status, 200);
    assert.equal(v3.body.version.status, 'stable');
  });

  it('issues a project token with roles (implied ones too), catalog and X-Subject-Token', async () => {
    const r = await f.login('admin', f.adminPassword);
    assert.equal(r.status, 201);
    const t = r.body.token;
    assert.deepEqual(t.methods, ['password']);
    assert.equal(t.project.name, 'admin');
    assert.equal(t.project.domain.id, 'default');
    assert.deepEqual(t.roles.map((x: any) => x.name).sort(), [
      'admin',
      'manager',
      'member',
      'reader',
    ]);
    assert.equal(t.catalog[0].type, 'identity');
    assert.match(t.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(t.audit_ids.length, 1);
    assert.equal(t.is_domain, false);
    assert.ok(r.token.length > 100);
  });

  it('scopes to the system, a domain, or nothing', async () => {
    const sys = await f.login('admin', f.adminPassword, { system: { all: true } });
    assert.equal(sys.status, 201);
    assert.deepEqual(sys.body.token.system, { all: true });
    const unscoped = await f.login('admin', f.adminPassword, null as any);
    assert.equal(unscoped.status, 201);
    assert.equal(unscoped.body.token.project, undefined);
    assert.equal(unscoped.body.token.catalog, undefined);
    // Admin holds no role on the domain itself: keystone refuses that scope with a 401.
    const dom = await f.login('admin', f.adminPassword, { domain: { id: 'default' } });
    assert.equal(dom.status, 401);
  });

  it("answers a wrong password or unknown user with keystone's 401 and WWW-Authenticate", async () => {
    for (const [user, pw] of [
      ['admin', 'wrong'],
      ['nobody', 'x'],
    ]) {
      const r = await f.login(user!, pw!);
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, {
        error: {
          code: 401,
          message: 'The request you have made requires authentication.',
          title: 'Unauthorized',
        },
      });
    }
    const res = await f.call('GET', '/v3/projects', 'garbage');
    assert.equal(res.status, 401);
    assert.match(String(res.headers['www-authenticate']), /^Keystone uri="http:\/\/.*\/v3"$/);
  });

  it('rejects malformed requests with 400 and never a 500', async () => {
    const cases: unknown[] = [
      {},
      { auth: {} },
      { auth: { identity: { methods: 'password' } } },
      { auth: { identity: { methods: ['password'] } } },
      {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', password: 'x' } } },
        },
      },
      {
        auth: {
          identity: { methods: ['password'], password: { user: { id: 'x', password: 'x' } } },
          scope: { project: {}, domain: {} },
        },
      },
    ];
    for (const payload of cases) {
      const r = await f.call('POST', '/v3/auth/tokens', '', payload);
      assert.equal(r.status, 400, JSON.stringify(payload));
      assert.equal(r.body.error.title, 'Bad Request');
    }
    const unsupported = await f.call('POST', '/v3/auth/tokens', '', {
      auth: { identity: { methods: ['totp'], totp: {} } },
    });
    assert.equal(unsupported.status, 401);
    assert.deepEqual(unsupported.body.error.identity.methods, [
      'password',
      'token',
      'application_credential',
    ]);
  });

  it('validates, checks and revokes a token; a revoked token is 404 as subject, 401 as auth', async () => {
    const t = (await f.login('admin', f.adminPassword)).token;
    const got = await f.call('GET', '/v3/auth/tokens', admin, undefined, { 'x-subject-token': t });
    assert.equal(got.status, 200);
    assert.equal(got.headers['x-subject-token'], t);
    const head = await f.app.inject({
      method: 'HEAD',
      url: '/v3/auth/tokens',
      headers: { 'x-auth-token': admin, 'x-subject-token': t },
    });
    assert.equal(head.statusCode, 200);
    const del = await f.call('DELETE', '/v3/auth/tokens', admin, undefined, {
      'x-subject-token': t,
    });
    assert.equal(del.status, 204);
    const after = await f.call('GET', '/v3/auth/tokens', admin, undefined, {
      'x-subject-token': t,
    });
    assert.equal(after.status, 404);
    assert.equal((await f.call('GET', '/v3/auth/projects', t)).status, 401);
    // Only that token: the admin's own token still works.
    assert.equal((await f.call('GET', '/v3/auth/projects', admin)).status, 200);
  });

  it('rescopes with the token method, keeping expiry and the audit chain', async () => {
    const unscoped = (await f.login('admin', f.adminPassword, null as any)).body;
    const first = await f.login('admin', f.adminPassword, null as any);
    const r = await f.call('POST', '/v3/auth/tokens', '', {
      auth: {
        identity: { methods: ['token'], token: { id: first.token } },
        scope: { project: { name: 'admin', domain: { name: 'Default' } } },
      },
    });
    assert.equal(r.status, 201);
    assert.deepEqual(r.body.token.methods.sort(), ['password', 'token']);
    assert.equal(r.body.token.expires_at, first.body.token.expires_at);
    assert.equal(r.body.token.audit_ids[1], first.body.token.audit_ids[0]);
    assert.ok(unscoped);
  });

  it('expires tokens at expires_at', async () => {
    const t = (await f.login('admin', f.adminPassword)).token;
    f.clock.t += 3601 * 1000;
    try {
      assert.equal((await f.call('GET', '/v3/auth/projects', t)).status, 401);
    } finally {
      f.clock.t -= 3601 * 1000;
    }
  });

  it("lists the caller's projects, domains, system and catalog", async () => {
    const projects = await f.call('GET', '/v3/auth/projects', admin);
    assert.deepEqual(
      projects.body.projects.map((p: any) => p.name),
      ['admin'],
    );
    const system = await f.call('GET', '/v3/auth/system', admin);
    assert.deepEqual(system.body.system, [{ all: true }]);
    const catalog = await f.call('GET', '/v3/auth/catalog', admin);
    assert.equal(catalog.body.catalog[0].endpoints.length, 2);
    const unscoped = (await f.login('admin', f.adminPassword, null as any)).token;
    assert.equal((await f.call('GET', '/v3/auth/catalog', unscoped)).status, 403);
  });
});
