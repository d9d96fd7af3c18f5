import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

// The real `openstack` CLI against `stratus all`: the admin manages projects, users, roles and
// application credentials; members and readers get only what keystone's policies allow.
describe('identity with the openstack CLI', { skip: openstackSkip() }, () => {
  let stratus: StratusHandle;
  let admin: Record<string, string>;
  /** Environment that logs in as a user on a project (no clouds.yaml). */
  const as = (user: string, password: string, project: string) => ({
    OS_AUTH_URL: `${stratus.url('identity')}/v3`,
    OS_USERNAME: user,
    OS_PASSWORD: password,
    OS_PROJECT_NAME: project,
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_IDENTITY_API_VERSION: '3',
  });
  const ok = async (args: string[], env = admin) => {
    const r = await openstack(args, env);
    assert.equal(r.code, 0, `openstack ${args.join(' ')}: ${r.stderr}`);
    return r;
  };

  before(async () => {
    stratus = await startStratus({ startTimeoutMs: 60_000 });
    admin = { OS_CLIENT_CONFIG_FILE: join(stratus.dataDir, 'clouds.yaml'), OS_CLOUD: 'stratus' };
  });
  after(() => stratus?.stop());

  it('creates, lists, shows, sets and deletes a project', async () => {
    const created = (
      await ok(['project', 'create', '--description', 'demo', 'demo', '-f', 'json'])
    ).json();
    assert.equal(created.name, 'demo');
    assert.equal(created.domain_id, 'default');
    const list = (await ok(['project', 'list', '-f', 'json'])).json<{ Name: string }[]>();
    assert.deepEqual(list.map((p) => p.Name).sort(), ['admin', 'demo', 'service']);
    await ok(['project', 'set', '--description', 'changed', '--disable', 'demo']);
    const shown = (await ok(['project', 'show', 'demo', '-f', 'json'])).json();
    assert.equal(shown.description, 'changed');
    assert.equal(shown.enabled, false);
    await ok(['project', 'delete', 'demo']);
    const gone = await openstack(['project', 'show', 'demo'], admin);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /No project with a name or ID of 'demo' exists/);
  });

  it('creates, lists, sets and deletes a user', async () => {
    const u = (
      await ok([
        'user',
        'create',
        '--password',
        'pw1',
        '--email',
        't@example.com',
        'temp',
        '-f',
        'json',
      ])
    ).json();
    assert.equal(u.email, 't@example.com');
    assert.equal(u.password, undefined);
    const names = (await ok(['user', 'list', '-f', 'json']))
      .json<{ Name: string }[]>()
      .map((x) => x.Name);
    assert.ok(names.includes('temp'), names.join(','));
    await ok(['user', 'set', '--description', 'temporary', 'temp']);
    assert.equal(
      (await ok(['user', 'show', 'temp', '-f', 'json'])).json().description,
      'temporary',
    );
    await ok(['user', 'delete', 'temp']);
    assert.notEqual((await openstack(['user', 'show', 'temp'], admin)).code, 0);
  });

  it('grants a member role, lists assignments with names, and the member sees only its project', async () => {
    await ok(['project', 'create', 'team']);
    await ok(['user', 'create', '--password', 'mem-pw', 'mem']);
    await ok(['role', 'add', '--project', 'team', '--user', 'mem', 'member']);
    const rows = (await ok(['role', 'assignment', 'list', '--names', '-f', 'json'])).json<
      { Role: string; User: string; Project: string; System: string }[]
    >();
    assert.ok(
      rows.some(
        (r) => r.Role === 'member' && r.User === 'mem@Default' && r.Project === 'team@Default',
      ),
    );
    assert.ok(
      rows.some((r) => r.Role === 'admin' && r.User === 'admin@Default' && r.System === 'all'),
    );

    const member = as('mem', 'mem-pw', 'team');
    const mine = (await ok(['project', 'list', '-f', 'json'], member)).json<{ Name: string }[]>();
    assert.deepEqual(
      mine.map((p) => p.Name),
      ['team'],
    );
    const denied = await openstack(['project', 'create', 'sneaky'], member);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /HTTP 403/);
  });

  it('lets a reader read but not create', async () => {
    await ok(['user', 'create', '--password', 'rd-pw', 'rd']);
    await ok(['role', 'add', '--project', 'team', '--user', 'rd', 'reader']);
    const reader = as('rd', 'rd-pw', 'team');
    assert.equal((await ok(['project', 'show', 'team', '-f', 'json'], reader)).json().name, 'team');
    const create = await openstack(['project', 'create', 'x'], reader);
    assert.notEqual(create.code, 0);
    assert.match(create.stderr, /HTTP 403/);
  });

  it('creates an application credential and issues a token with it', async () => {
    const member = as('mem', 'mem-pw', 'team');
    const cred = (
      await ok(['application', 'credential', 'create', 'ci', '-f', 'json'], member)
    ).json();
    assert.ok(cred.secret);
    const token = (
      await ok(
        [
          '--os-auth-type',
          'v3applicationcredential',
          '--os-application-credential-id',
          cred.id,
          '--os-application-credential-secret',
          cred.secret,
          'token',
          'issue',
          '-f',
          'json',
        ],
        { OS_AUTH_URL: `${stratus.url('identity')}/v3`, OS_IDENTITY_API_VERSION: '3' },
      )
    ).json();
    assert.equal(token.project_id, cred.project_id);
    const listed = (await ok(['application', 'credential', 'list', '-f', 'json'], member)).json<
      { Name: string }[]
    >();
    assert.deepEqual(
      listed.map((c) => c.Name),
      ['ci'],
    );
  });

  it("stops a disabled user's existing token", async () => {
    await ok(['user', 'create', '--password', 'd-pw', 'dis']);
    await ok(['role', 'add', '--project', 'team', '--user', 'dis', 'member']);
    const token = (await ok(['token', 'issue', '-f', 'json'], as('dis', 'd-pw', 'team'))).json().id;
    const withToken = {
      OS_AUTH_URL: `${stratus.url('identity')}/v3`,
      OS_AUTH_TYPE: 'token',
      OS_TOKEN: token,
      OS_PROJECT_NAME: 'team',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_IDENTITY_API_VERSION: '3',
    };
    await ok(['token', 'issue'], withToken);
    await ok(['user', 'set', '--disable', 'dis']);
    const after = await openstack(['token', 'issue'], withToken);
    assert.notEqual(after.code, 0);
    assert.match(after.stderr, /HTTP 401/);
  });
});
