import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDialect } from '../../../test/harness/dialects.js';
import type { Clock } from '../../common/clock.js';
import { StratusError } from '../../common/errors.js';
import { IdentityStore } from './identity-store.js';
import { identityMigrations } from './migrations.js';

class FakeClock implements Clock {
  constructor(public t = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): number {
    return this.t;
  }
}

function status(err: unknown): number {
  return err instanceof StratusError ? err.status : -1;
}

const domain = { id: 'default', name: 'Default', enabled: true, description: null, extra: {} };
const project = (id: string, name: string, parentId: string | null = null) => ({
  id,
  name,
  domainId: 'default',
  parentId,
  enabled: true,
  description: null,
  tags: [] as string[],
  extra: {},
});
const user = (id: string, name: string) => ({
  id,
  name,
  domainId: 'default',
  enabled: true,
  defaultProjectId: null,
  passwordHash: 'h',
  options: {},
  extra: { email: `${name}@example.com` },
});
const role = (id: string, name: string) => ({
  id,
  name,
  domainId: null,
  description: null,
  options: {},
  extra: {},
});

forEachDialect('identity store', (ctx) => {
  async function open(clock: Clock = new FakeClock()) {
    const db = await ctx.open({ migrations: [identityMigrations] });
    const store = new IdentityStore(db, clock);
    await store.resources.createDomain(domain);
    return store;
  }

  test('projects: duplicate names conflict per domain, tags round-trip, non-leaf delete is 403', async () => {
    const s = await open();
    await s.resources.createProject({ ...project('p1', 'one'), tags: ['b', 'a', 'a'] });
    await assert.rejects(s.resources.createProject(project('p2', 'one')), (e) => {
      assert.equal(status(e), 409);
      assert.match(
        (e as Error).message,
        /Duplicate entry found with name one at domain ID default/,
      );
      return true;
    });
    assert.deepEqual((await s.resources.getProject('p1')).tags, ['a', 'b']);
    await s.resources.createProject(project('c1', 'child', 'p1'));
    await assert.rejects(s.resources.deleteProject('p1'), (e) => status(e) === 403);
    await s.resources.deleteProject('c1');
    await s.resources.deleteProject('p1');
    await assert.rejects(s.resources.getProject('p1'), (e) => status(e) === 404);
  });

  test('users: extra attributes kept, lockout counters count and reset with a new password', async () => {
    const s = await open();
    await s.users.createUser(user('u1', 'alice'));
    assert.deepEqual((await s.users.getUser('u1')).extra, { email: 'alice@example.com' });
    await s.users.recordFailedAuth('u1');
    await s.users.recordFailedAuth('u1');
    assert.equal((await s.users.getUser('u1')).failedAuthCount, 2);
    const changed = await s.users.updateUser('u1', { passwordHash: 'h2' });
    assert.equal(changed.failedAuthCount, 0);
    assert.equal(changed.passwordHash, 'h2');
    await assert.rejects(s.users.createUser(user('u2', 'alice')), (e) => status(e) === 409);
  });

  test('assignments: granted once, listed by filter, removed with the user', async () => {
    const s = await open();
    await s.resources.createProject(project('p1', 'one'));
    await s.users.createUser(user('u1', 'alice'));
    await s.roles.createRole(role('r1', 'member'));
    const a = {
      type: 'UserProject' as const,
      actorId: 'u1',
      targetId: 'p1',
      roleId: 'r1',
      inherited: false,
    };
    await s.assignments.grant(a);
    await s.assignments.grant(a);
    assert.deepEqual(await s.assignments.list({ actorIds: ['u1'] }), [a]);
    assert.equal(await s.assignments.exists(a), true);
    await s.users.deleteUser('u1');
    assert.deepEqual(await s.assignments.list(), []);
  });

  test('roles: global names are unique, implications and grants go with the role', async () => {
    const s = await open();
    await s.roles.createRole(role('admin', 'admin'));
    await s.roles.createRole(role('member', 'member'));
    await assert.rejects(s.roles.createRole(role('x', 'member')), (e) => status(e) === 409);
    await s.roles.addImplication('admin', 'member');
    await s.roles.addImplication('admin', 'member');
    assert.deepEqual(await s.roles.listImplications(), [
      { priorRoleId: 'admin', impliedRoleId: 'member' },
    ]);
    await s.roles.deleteRole('member');
    assert.deepEqual(await s.roles.listImplications(), []);
    assert.equal((await s.roles.findRoleByName('admin', null))?.id, 'admin');
  });

  test('revocation: by user (optionally project) and by audit id, only tokens issued before', async () => {
    const clock = new FakeClock();
    const s = await open(clock);
    const token = {
      userId: 'u1',
      projectId: 'p1',
      auditIds: ['AAAAAAAAAAAAAAAAAAAAAA'],
      issuedAt: clock.t - 1000,
    };
    assert.equal(await s.revocations.isRevoked(token), false);
    await s.revocations.revoke({ userId: 'u1', projectId: 'p2' });
    assert.equal(await s.revocations.isRevoked(token), false);
    await s.revocations.revoke({ auditId: 'BBBBBBBBBBBBBBBBBBBBBB' });
    assert.equal(await s.revocations.isRevoked(token), false);
    await s.revocations.revoke({ userId: 'u1' });
    assert.equal(await s.revocations.isRevoked(token), true);
    assert.equal(await s.revocations.isRevoked({ ...token, issuedAt: clock.t + 1 }), false);
    clock.t += 7_200_000;
    assert.equal(await s.revocations.prune(3600), 3);
  });

  test('application credentials: roles kept, duplicate names conflict, deleted with the user', async () => {
    const s = await open();
    await s.users.createUser(user('u1', 'alice'));
    await s.roles.createRole(role('r1', 'member'));
    const cred = {
      id: 'c1',
      name: 'ci',
      userId: 'u1',
      projectId: 'p1',
      secretHash: 'x',
      description: null,
      expiresAt: new Date('2030-01-01T00:00:00Z'),
      unrestricted: false,
      roleIds: ['r1'],
    };
    await s.appCreds.create(cred);
    assert.deepEqual(await s.appCreds.get('c1'), cred);
    await assert.rejects(s.appCreds.create({ ...cred, id: 'c2' }), (e) => status(e) === 409);
    await s.users.deleteUser('u1');
    assert.equal(await s.appCreds.find('c1'), undefined);
  });

  test('catalog: a region with endpoints cannot be deleted; a service takes its endpoints', async () => {
    const s = await open();
    await s.catalog.createRegion({
      id: 'RegionOne',
      description: '',
      parentRegionId: null,
      extra: {},
    });
    await s.catalog.createService({
      id: 's1',
      type: 'compute',
      name: 'nova',
      description: null,
      enabled: true,
      extra: {},
    });
    await s.catalog.createEndpoint({
      id: 'e1',
      serviceId: 's1',
      interface: 'public',
      regionId: 'RegionOne',
      url: 'http://h:8774/v2.1',
      enabled: true,
      extra: {},
    });
    await assert.rejects(s.catalog.deleteRegion('RegionOne'), (e) => status(e) === 403);
    await s.catalog.deleteService('s1');
    assert.deepEqual(await s.catalog.listEndpoints(), []);
    await s.catalog.deleteRegion('RegionOne');
  });

  test('domains: an enabled domain cannot be deleted; a disabled one takes its contents', async () => {
    const s = await open();
    await s.resources.createDomain({ ...domain, id: 'd2', name: 'two' });
    await s.resources.createProject({ ...project('p1', 'one'), domainId: 'd2' });
    await s.resources.createProject({ ...project('p2', 'kid', 'p1'), domainId: 'd2' });
    await s.users.createUser({ ...user('u1', 'alice'), domainId: 'd2' });
    await assert.rejects(s.resources.deleteDomain('d2'), (e) => status(e) === 403);
    await s.resources.updateDomain('d2', { enabled: false });
    await s.resources.deleteDomain('d2');
    assert.equal(await s.users.findUser('u1'), undefined);
    assert.equal(await s.resources.findProject('p2'), undefined);
  });
});
