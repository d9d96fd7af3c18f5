import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identityFixture, type IdentityFixture } from './identity-test-fixture.js';

// Every write route, fed malformed bodies and unknown ids: always a keystone 4xx, never a 500.
describe('identity API: bad input is a 4xx', () => {
  let f: IdentityFixture;
  let admin: string;
  let userId: string;
  before(async () => {
    f = await identityFixture();
    const login = await f.login('admin', f.adminPassword);
    admin = login.token;
    userId = login.body.token.user.id;
  });
  after(() => f.close());

  const bodies: unknown[] = [
    null,
    [],
    'text',
    42,
    {},
    { x: {} },
    { project: null, user: null, group: null, role: null, domain: null },
    { project: { name: 5 }, user: { name: '' }, group: { name: [] }, role: { name: {} } },
    { service: { type: '' }, endpoint: { interface: 'sideways' }, region: { id: 7 } },
    { application_credential: { name: 'x', roles: [{}] } },
    { tags: ['a,b'] },
  ];
  const writes = () => [
    ['POST', '/v3/projects'],
    ['PATCH', '/v3/projects/nope'],
    ['PUT', '/v3/projects/nope/tags'],
    ['POST', '/v3/domains'],
    ['PATCH', '/v3/domains/nope'],
    ['POST', '/v3/users'],
    ['PATCH', `/v3/users/${userId}`],
    ['POST', `/v3/users/${userId}/password`],
    ['POST', '/v3/groups'],
    ['POST', '/v3/roles'],
    ['PATCH', '/v3/roles/nope'],
    ['POST', `/v3/users/${userId}/application_credentials`],
    ['POST', '/v3/services'],
    ['POST', '/v3/endpoints'],
    ['POST', '/v3/regions'],
    ['PUT', '/v3/regions/r1'],
    ['POST', '/v3/auth/tokens'],
  ];

  it("answers malformed bodies with 4xx in keystone's error format", async () => {
    for (const [method, url] of writes()) {
      for (const body of bodies) {
        const r = await f.app.inject({
          method: method as 'POST',
          url: url!,
          headers: { 'x-auth-token': admin, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        const what = `${method} ${url} ${JSON.stringify(body)} → ${r.statusCode} ${r.body}`;
        assert.ok(r.statusCode >= 400 && r.statusCode < 500, what);
        const err = JSON.parse(r.body).error;
        assert.equal(err.code, r.statusCode, what);
        assert.equal(typeof err.message, 'string', what);
        assert.equal(typeof err.title, 'string', what);
      }
    }
  });

  it('answers unknown ids with 404 and odd URLs without a 500', async () => {
    for (const url of [
      '/v3/projects/nope',
      '/v3/users/nope',
      '/v3/groups/nope',
      '/v3/roles/nope',
      '/v3/domains/nope',
      '/v3/services/nope',
      '/v3/endpoints/nope',
      '/v3/regions/nope',
      '/v3/roles/nope/implies',
      '/v3/projects/nope/users/nope/roles',
      `/v3/users/${userId}/application_credentials/nope`,
    ]) {
      const r = await f.call('GET', url, admin);
      assert.equal(r.status, 404, url);
    }
    for (const url of [
      '/v3/projects?limit=abc',
      '/v3/projects/%zz',
      '/v3/role_assignments?scope.project.id=x&scope.domain.id=y',
    ]) {
      const r = await f.call('GET', url, admin);
      assert.ok(r.status >= 400 && r.status < 500, `${url} → ${r.status}`);
    }
  });
});
