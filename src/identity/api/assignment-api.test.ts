import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identityFixture, type IdentityFixture } from './identity-test-fixture.js';

describe('identity API: role assignments and application credentials', () => {
  let f: IdentityFixture;
  let admin: string;
  const ids: Record<string, string> = {};

  before(async () => {
    f = await identityFixture();
    admin = (await f.login('admin', f.adminPassword)).token;
    const roles = (await f.call('GET', '/v3/roles', admin)).body.roles as {
      id: string;
      name: string;
    }[];
    for (const r of roles) ids[r.name] = r.id;
    ids.project = (
      await f.call('POST', '/v3/projects', admin, { project: { name: 'team' } })
    ).body.project.id;
    ids.user = (
      await f.call('POST', '/v3/users', admin, { user: { name: 'una', password: 'pw' } })
    ).body.user.id;
    ids.group = (
      await f.call('POST', '/v3/groups', admin, { group: { name: 'ops' } })
    ).body.group.id;
    await f.call('PUT', `/v3/groups/${ids.group}/users/${ids.user}`, admin);
    await f.call(
      'PUT',
      `/v3/projects/${ids.project}/groups/${ids.group}/roles/${ids.reader}`,
      admin,
    );
    await f.call('PUT', `/v3/projects/${ids.project}/users/${ids.user}/roles/${ids.member}`, admin);
  });
  after(() => f.close());

  it('lists direct assignments with names, and user or group filters', async () => {
    const r = await f.call(
      'GET',
      `/v3/role_assignments?scope.project.id=${ids.project}&include_names`,
      admin,
    );
    assert.equal(r.status, 200);
    const rows = r.body.role_assignments;
    assert.equal(rows.length, 2);
    const direct = rows.find((x: any) => x.user);
    assert.deepEqual(direct.user, {
      id: ids.user,
      name: 'una',
      domain: { id: 'default', name: 'Default' },
    });
    assert.equal(direct.role.name, 'member');
    assert.equal(direct.scope.project.name, 'team');
    assert.match(
      direct.links.assignment,
      new RegExp(`/v3/projects/${ids.project}/users/${ids.user}/roles/${ids.member}$`),
    );
    const group = rows.find((x: any) => x.group);
    assert.equal(group.group.name, 'ops');
    const byGroup = await f.call('GET', `/v3/role_assignments?group.id=${ids.group}`, admin);
    assert.equal(byGroup.body.role_assignments.length, 1);
    const system = await f.call('GET', '/v3/role_assignments?scope.system=all', admin);
    assert.deepEqual(
      system.body.role_assignments.map((x: any) => x.scope),
      [{ system: { all: true } }],
    );
  });

  it('expands groups and implied roles in effective mode', async () => {
    const r = await f.call('GET', `/v3/role_assignments?effective&user.id=${ids.user}`, admin);
    const rows = r.body.role_assignments as any[];
    const names = rows.map((x) => Object.keys(ids).find((k) => ids[k] === x.role.id)).sort();
    // member (direct) implies reader; reader also comes through the group.
    assert.deepEqual(names, ['member', 'reader', 'reader']);
    const viaGroup = rows.find((x) => x.links.membership);
    assert.match(viaGroup.links.membership, new RegExp(`/groups/${ids.group}/users/${ids.user}$`));
    const implied = rows.find((x) => x.links.prior_role);
    assert.ok(implied);
    assert.equal(
      (await f.call('GET', `/v3/role_assignments?effective&group.id=${ids.group}`, admin)).status,
      400,
    );
    assert.equal(
      (await f.call('GET', `/v3/role_assignments?user.id=${ids.user}&group.id=${ids.group}`, admin))
        .status,
      400,
    );
  });

  it('checks, lists and revokes grants; revoking a missing grant is 404', async () => {
    const path = `/v3/projects/${ids.project}/users/${ids.user}/roles`;
    assert.equal((await f.call('HEAD', `${path}/${ids.member}`, admin)).status, 204);
    assert.equal((await f.call('HEAD', `${path}/${ids.admin}`, admin)).status, 404);
    const list = await f.call('GET', path, admin);
    assert.deepEqual(
      list.body.roles.map((x: any) => x.name),
      ['member'],
    );
    const missing = await f.call('DELETE', `${path}/${ids.admin}`, admin);
    assert.equal(missing.status, 404);
    assert.match(missing.body.error.message, /^Could not find role assignment with role: /);
    assert.equal((await f.call('PUT', `${path}/nope`, admin)).status, 404);
  });

  it('creates an application credential and issues tokens with it, by id or by name', async () => {
    const login = await f.login('una', 'pw', { project: { id: ids.project } });
    assert.deepEqual(login.body.token.roles.map((x: any) => x.name).sort(), ['member', 'reader']);
    const c = await f.call('POST', `/v3/users/${ids.user}/application_credentials`, login.token, {
      application_credential: { name: 'ci', roles: [{ name: 'reader' }] },
    });
    assert.equal(c.status, 201);
    const cred = c.body.application_credential;
    assert.ok(cred.secret.length > 40);
    assert.equal(cred.project_id, ids.project);
    assert.deepEqual(
      cred.roles.map((x: any) => x.name),
      ['reader'],
    );
    assert.equal(cred.unrestricted, false);

    const byId = await f.call('POST', '/v3/auth/tokens', '', {
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { id: cred.id, secret: cred.secret },
        },
      },
    });
    assert.equal(byId.status, 201);
    assert.equal(byId.body.token.project.id, ids.project);
    assert.deepEqual(
      byId.body.token.roles.map((x: any) => x.name),
      ['reader'],
    );
    assert.deepEqual(byId.body.token.application_credential, {
      id: cred.id,
      name: 'ci',
      restricted: true,
    });
    const byName = await f.call('POST', '/v3/auth/tokens', '', {
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: {
            name: 'ci',
            user: { name: 'una', domain: { name: 'Default' } },
            secret: cred.secret,
          },
        },
      },
    });
    assert.equal(byName.status, 201);
    const wrong = await f.call('POST', '/v3/auth/tokens', '', {
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: { id: cred.id, secret: 'x' },
        },
      },
    });
    assert.equal(wrong.status, 401);

    // A restricted credential's token cannot make more credentials.
    const more = await f.call(
      'POST',
      `/v3/users/${ids.user}/application_credentials`,
      byId.headers['x-subject-token'] as string,
      {
        application_credential: { name: 'ci2' },
      },
    );
    assert.equal(more.status, 403);
    const escalate = await f.call(
      'POST',
      `/v3/users/${ids.user}/application_credentials`,
      login.token,
      {
        application_credential: { name: 'root', roles: [{ name: 'admin' }] },
      },
    );
    assert.equal(escalate.status, 400);
    const other = await f.call('POST', `/v3/users/${ids.user}/application_credentials`, admin, {
      application_credential: { name: 'x' },
    });
    assert.equal(other.status, 403);

    const list = await f.call('GET', `/v3/users/${ids.user}/application_credentials`, login.token);
    assert.deepEqual(
      list.body.application_credentials.map((x: any) => x.name),
      ['ci'],
    );
    assert.equal(list.body.application_credentials[0].secret, undefined);
    assert.equal(
      (
        await f.call(
          'DELETE',
          `/v3/users/${ids.user}/application_credentials/${cred.id}`,
          login.token,
        )
      ).status,
      204,
    );
    assert.equal(
      (
        await f.call('POST', '/v3/auth/tokens', '', {
          auth: {
            identity: {
              methods: ['application_credential'],
              application_credential: { id: cred.id, secret: cred.secret },
            },
          },
        })
      ).status,
      404,
    );
  });

  it('rejects an application credential whose expiry is past or malformed', async () => {
    const login = await f.login('una', 'pw', { project: { id: ids.project } });
    for (const expires_at of ['2000-01-01T00:00:00', 'tomorrow']) {
      const r = await f.call('POST', `/v3/users/${ids.user}/application_credentials`, login.token, {
        application_credential: { name: `e-${expires_at}`, expires_at },
      });
      assert.equal(r.status, 400, expires_at);
    }
  });

  it('manages implied roles and refuses admin as an implied role', async () => {
    const list = await f.call('GET', `/v3/roles/${ids.admin}/implies`, admin);
    assert.deepEqual(
      list.body.role_inference.implies.map((r: any) => r.name),
      ['manager'],
    );
    assert.equal(
      (await f.call('PUT', `/v3/roles/${ids.member}/implies/${ids.admin}`, admin)).status,
      403,
    );
    const custom = (await f.call('POST', '/v3/roles', admin, { role: { name: 'auditor' } })).body
      .role;
    const put = await f.call('PUT', `/v3/roles/${custom.id}/implies/${ids.reader}`, admin);
    assert.equal(put.status, 201);
    assert.equal(put.body.role_inference.implies.name, 'reader');
    assert.equal(
      (await f.call('HEAD', `/v3/roles/${custom.id}/implies/${ids.reader}`, admin)).status,
      204,
    );
    const rules = await f.call('GET', '/v3/role_inferences', admin);
    assert.ok(rules.body.role_inferences.some((r: any) => r.prior_role.name === 'auditor'));
    assert.equal(
      (await f.call('DELETE', `/v3/roles/${custom.id}/implies/${ids.reader}`, admin)).status,
      204,
    );
    assert.equal(
      (await f.call('GET', `/v3/roles/${custom.id}/implies/${ids.reader}`, admin)).status,
      404,
    );
  });
});

describe('identity API: lockout', () => {
  let f: IdentityFixture;
  before(async () => {
    f = await identityFixture({
      security_compliance: { lockout_failure_attempts: '2', lockout_duration: '60' },
    });
  });
  after(() => f.close());

  it('locks a user out after N failures with a clear 401, until the duration passes', async () => {
    assert.equal((await f.login('admin', 'bad')).status, 401);
    assert.equal((await f.login('admin', 'bad')).status, 401);
    const locked = await f.login('admin', f.adminPassword);
    assert.equal(locked.status, 401);
    assert.match(locked.body.error.message, /^The account is locked for user: [0-9a-f]{32}\.$/);
    f.clock.t += 61_000;
    assert.equal((await f.login('admin', f.adminPassword)).status, 201);
  });
});
