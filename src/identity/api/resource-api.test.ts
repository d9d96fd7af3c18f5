import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { identityFixture, type IdentityFixture } from './identity-test-fixture.js';

describe('identity API: projects, users and what members and readers may do', () => {
  let f: IdentityFixture;
  let admin: string;
  const role = async (name: string) =>
    (await f.call('GET', `/v3/roles?name=${name}`, admin)).body.roles[0].id as string;

  /** Creates a user with a role on a new project and logs it in there. */
  async function member(name: string, roleName: string) {
    const p = await f.call('POST', '/v3/projects', admin, { project: { name: `${name}-project` } });
    const u = await f.call('POST', '/v3/users', admin, { user: { name, password: `${name}-pw` } });
    const put = await f.call(
      'PUT',
      `/v3/projects/${p.body.project.id}/users/${u.body.user.id}/roles/${await role(roleName)}`,
      admin,
    );
    assert.equal(put.status, 204);
    const login = await f.login(name, `${name}-pw`, {
      project: { id: p.body.project.id },
    });
    assert.equal(login.status, 201);
    return { project: p.body.project, user: u.body.user, token: login.token };
  }

  before(async () => {
    f = await identityFixture();
    admin = (await f.login('admin', f.adminPassword)).token;
  });
  after(() => f.close());

  it('creates, shows, updates and deletes a project; duplicates are 409', async () => {
    const c = await f.call('POST', '/v3/projects', admin, {
      project: { name: 'p1', description: 'first', tags: ['a'], color: 'blue' },
    });
    assert.equal(c.status, 201);
    const p = c.body.project;
    assert.equal(p.domain_id, 'default');
    assert.equal(p.parent_id, 'default');
    assert.equal(p.color, 'blue');
    assert.deepEqual(p.tags, ['a']);
    assert.match(p.links.self, new RegExp(`/v3/projects/${p.id}$`));
    const dup = await f.call('POST', '/v3/projects', admin, { project: { name: 'p1' } });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.title, 'Conflict');
    const upd = await f.call('PATCH', `/v3/projects/${p.id}`, admin, {
      project: { enabled: false, description: 'changed' },
    });
    assert.equal(upd.body.project.enabled, false);
    assert.equal(upd.body.project.description, 'changed');
    const moved = await f.call('PATCH', `/v3/projects/${p.id}`, admin, {
      project: { domain_id: 'x' },
    });
    assert.equal(moved.status, 400);
    const child = await f.call('POST', '/v3/projects', admin, {
      project: { name: 'kid', parent_id: p.id },
    });
    assert.equal(child.body.project.parent_id, p.id);
    assert.equal((await f.call('DELETE', `/v3/projects/${p.id}`, admin)).status, 403);
    assert.equal(
      (await f.call('DELETE', `/v3/projects/${child.body.project.id}`, admin)).status,
      204,
    );
    assert.equal((await f.call('DELETE', `/v3/projects/${p.id}`, admin)).status, 204);
    const gone = await f.call('GET', `/v3/projects/${p.id}`, admin);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.message, `Could not find project: ${p.id}.`);
  });

  it('filters and pages project lists as keystone does', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) {
      await f.call('POST', '/v3/projects', admin, { project: { name: n, tags: [n] } });
    }
    const exact = await f.call('GET', '/v3/projects?name=page-b', admin);
    assert.deepEqual(
      exact.body.projects.map((p: any) => p.name),
      ['page-b'],
    );
    const inexact = await f.call('GET', '/v3/projects?name__startswith=PAGE', admin);
    assert.equal(inexact.body.projects.length, 0);
    const ci = await f.call('GET', '/v3/projects?name__istartswith=PAGE', admin);
    assert.equal(ci.body.projects.length, 3);
    const tagged = await f.call('GET', '/v3/projects?tags-any=page-a,page-c', admin);
    assert.deepEqual(tagged.body.projects.map((p: any) => p.name).sort(), ['page-a', 'page-c']);
    const page1 = await f.call('GET', '/v3/projects?name__startswith=page&limit=2', admin);
    assert.equal(page1.body.projects.length, 2);
    assert.equal(page1.body.truncated, true);
    assert.match(page1.body.links.next, /marker=/);
    const next = new URL(page1.body.links.next);
    const page2 = await f.call('GET', `/v3/projects${next.search}`, admin);
    assert.equal(page2.body.projects.length, 1);
    const seen = [...page1.body.projects, ...page2.body.projects].map((p: any) => p.name).sort();
    assert.deepEqual(seen, ['page-a', 'page-b', 'page-c']);
    assert.equal((await f.call('GET', '/v3/projects?marker=nope', admin)).status, 404);
  });

  it('creates users with extra attributes and never shows the password', async () => {
    const c = await f.call('POST', '/v3/users', admin, {
      user: {
        name: 'alice',
        password: 'pw',
        email: 'alice@example.com',
        options: { ignore_lockout_failure_attempts: true },
      },
    });
    assert.equal(c.status, 201);
    assert.equal(c.body.user.email, 'alice@example.com');
    assert.equal(c.body.user.password, undefined);
    assert.deepEqual(c.body.user.options, { ignore_lockout_failure_attempts: true });
    const bad = await f.call('POST', '/v3/users', admin, {
      user: { name: 'x', options: { bogus: true } },
    });
    assert.equal(bad.status, 400);
    const list = await f.call('GET', '/v3/users?name=alice', admin);
    assert.equal(list.body.users.length, 1);
  });

  it('shows a member only its own projects; a member cannot list every project or create one', async () => {
    const m = await member('mona', 'member');
    assert.equal((await f.call('GET', '/v3/projects', m.token)).status, 403);
    const mine = await f.call('GET', `/v3/users/${m.user.id}/projects`, m.token);
    assert.equal(mine.status, 200);
    assert.deepEqual(
      mine.body.projects.map((p: any) => p.id),
      [m.project.id],
    );
    const auth = await f.call('GET', '/v3/auth/projects', m.token);
    assert.deepEqual(
      auth.body.projects.map((p: any) => p.id),
      [m.project.id],
    );
    assert.equal((await f.call('GET', `/v3/projects/${m.project.id}`, m.token)).status, 200);
    const other = await f.call('GET', '/v3/projects?name=admin', admin);
    assert.equal(
      (await f.call('GET', `/v3/projects/${other.body.projects[0].id}`, m.token)).status,
      403,
    );
    const create = await f.call('POST', '/v3/projects', m.token, { project: { name: 'nope' } });
    assert.equal(create.status, 403);
    assert.equal(
      create.body.error.message,
      'You are not authorized to perform the requested action: identity:create_project.',
    );
  });

  it('lets a reader read its project but not create users or projects', async () => {
    const r = await member('rita', 'reader');
    assert.equal((await f.call('GET', `/v3/projects/${r.project.id}`, r.token)).status, 200);
    assert.equal(
      (await f.call('POST', '/v3/projects', r.token, { project: { name: 'x' } })).status,
      403,
    );
    assert.equal((await f.call('POST', '/v3/users', r.token, { user: { name: 'x' } })).status, 403);
    assert.equal((await f.call('GET', '/v3/users', r.token)).status, 403);
  });

  it("stops a disabled user's tokens, and every token after a password change", async () => {
    const d = await member('dave', 'member');
    assert.equal((await f.call('GET', '/v3/auth/projects', d.token)).status, 200);
    await f.call('PATCH', `/v3/users/${d.user.id}`, admin, { user: { enabled: false } });
    assert.equal((await f.call('GET', '/v3/auth/projects', d.token)).status, 401);
    const login = await f.login('dave', 'dave-pw', { project: { id: d.project.id } });
    assert.equal(login.status, 401);
    assert.equal(login.body.error.message, `The account is disabled for user: ${d.user.id}.`);
    await f.call('PATCH', `/v3/users/${d.user.id}`, admin, { user: { enabled: true } });
    // Re-enabling does not bring the old token back: it was revoked.
    assert.equal((await f.call('GET', '/v3/auth/projects', d.token)).status, 401);

    f.clock.t += 1000;
    const fresh = await f.login('dave', 'dave-pw', { project: { id: d.project.id } });
    assert.equal(fresh.status, 201);
    const change = await f.call('POST', `/v3/users/${d.user.id}/password`, '', {
      user: { original_password: 'dave-pw', password: 'new-pw' },
    });
    assert.equal(change.status, 204);
    assert.equal((await f.call('GET', '/v3/auth/projects', fresh.token)).status, 401);
    f.clock.t += 1000;
    assert.equal((await f.login('dave', 'new-pw', { project: { id: d.project.id } })).status, 201);
    const wrong = await f.call('POST', `/v3/users/${d.user.id}/password`, '', {
      user: { original_password: 'dave-pw', password: 'x' },
    });
    assert.equal(wrong.status, 401);
  });

  it("stops a deleted user's tokens and a deleted project's tokens", async () => {
    const e = await member('erin', 'member');
    await f.call('DELETE', `/v3/users/${e.user.id}`, admin);
    assert.equal((await f.call('GET', '/v3/auth/projects', e.token)).status, 401);
    const g = await member('gus', 'member');
    await f.call('DELETE', `/v3/projects/${g.project.id}`, admin);
    assert.equal((await f.call('GET', '/v3/auth/projects', g.token)).status, 401);
  });

  it('manages groups and membership', async () => {
    const g = await f.call('POST', '/v3/groups', admin, { group: { name: 'devs' } });
    assert.equal(g.status, 201);
    const u = await f.call('POST', '/v3/users', admin, { user: { name: 'gina', password: 'pw' } });
    const path = `/v3/groups/${g.body.group.id}/users/${u.body.user.id}`;
    assert.equal((await f.call('HEAD', path, admin)).status, 404);
    assert.equal((await f.call('PUT', path, admin)).status, 204);
    assert.equal((await f.call('HEAD', path, admin)).status, 204);
    const members = await f.call('GET', `/v3/groups/${g.body.group.id}/users`, admin);
    assert.deepEqual(
      members.body.users.map((x: any) => x.name),
      ['gina'],
    );
    const groups = await f.call('GET', `/v3/users/${u.body.user.id}/groups`, admin);
    assert.deepEqual(
      groups.body.groups.map((x: any) => x.name),
      ['devs'],
    );
    assert.equal((await f.call('DELETE', path, admin)).status, 204);
    assert.equal((await f.call('DELETE', path, admin)).status, 404);
  });

  it('locks nobody out while lockout is off', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await f.login('admin', 'wrong')).status, 401);
    assert.equal((await f.login('admin', f.adminPassword)).status, 201);
  });
});
