import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { StratusError } from '../common/errors.js';
import { identityFixture, type IdentityFixture } from './api/identity-test-fixture.js';
import { RemoteTokenValidator, remoteTokenValidator, type AuthTokenSettings } from './client.js';

describe('identity client: validating tokens through the identity API', () => {
  let f: IdentityFixture;
  let settings: AuthTokenSettings;
  let admin: string;
  let calls = 0;
  const counting: typeof fetch = (input, init) => {
    calls++;
    return fetch(input, init);
  };

  before(async () => {
    f = await identityFixture();
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (f.app.server.address() as AddressInfo).port;
    admin = (await f.login('admin', f.adminPassword)).token;
    // A service user with the service role in the service project, as deployers set one up.
    const user = await f.call('POST', '/v3/users', admin, {
      user: { name: 'placement', password: 'svc' },
    });
    const project = (await f.call('GET', '/v3/projects?name=service', admin)).body.projects[0];
    const role = (await f.call('GET', '/v3/roles?name=service', admin)).body.roles[0];
    await f.call(
      'PUT',
      `/v3/projects/${project.id}/users/${user.body.user.id}/roles/${role.id}`,
      admin,
    );
    settings = {
      auth_url: `http://127.0.0.1:${port}`,
      username: 'placement',
      password: 'svc',
      project_name: 'service',
      user_domain_name: 'Default',
      project_domain_name: 'Default',
      token_cache_time: 60,
      http_connect_timeout: 10,
    };
  });
  after(() => f.close());

  it('returns what the token grants, and answers from its cache within the cache time', async () => {
    const v = remoteTokenValidator(settings, f.clock, counting);
    const grant = await v.validate(admin);
    assert.equal(grant.projectName, 'admin');
    assert.deepEqual([...grant.roles].sort(), ['admin', 'manager', 'member', 'reader']);
    assert.equal(grant.systemScope, null);
    const before = calls;
    await v.validate(admin);
    assert.equal(calls, before);
    f.clock.t += 61_000;
    await v.validate(admin);
    assert.ok(calls > before);
  });

  it('rejects an invalid or revoked token with a 401', async () => {
    const v = remoteTokenValidator({ ...settings, token_cache_time: 0 }, f.clock);
    await assert.rejects(
      v.validate('not-a-token'),
      (e) => e instanceof StratusError && e.status === 401,
    );
    const t = (await f.login('admin', f.adminPassword)).token;
    await v.validate(t);
    await f.call('DELETE', '/v3/auth/tokens', admin, undefined, { 'x-subject-token': t });
    await assert.rejects(v.validate(t), (e) => e instanceof StratusError && e.status === 401);
  });

  it('is a 503 when the service user cannot log in or the API is unreachable', async () => {
    const wrong = new RemoteTokenValidator({ ...settings, password: 'nope' }, f.clock);
    await assert.rejects(
      wrong.validate(admin),
      (e) => e instanceof StratusError && e.status === 503,
    );
    const away = new RemoteTokenValidator({ ...settings, auth_url: 'http://127.0.0.1:9' }, f.clock);
    await assert.rejects(
      away.validate(admin),
      (e) => e instanceof StratusError && e.status === 503,
    );
    assert.throws(
      () => new RemoteTokenValidator({ ...settings, auth_url: undefined }, f.clock),
      (e) => e instanceof StratusError && e.status === 503,
    );
  });
});
