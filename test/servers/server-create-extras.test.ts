// Create options beyond networks, through the servers API and the real boot pipeline:
// personality files delivered (decoded) to the driver with Nova's limits, 2.74's requested
// host/node steering the scheduler, and the tag PUT's 201/204.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServersCloud, type ServersCloud } from './harness/servers-cloud.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('servers: personality, requested destination, tags', () => {
  let cloud: ServersCloud;
  before(
    async () =>
      (cloud = await startServersCloud({
        OS_FAKE__NODES: '3',
        OS_QUOTA__INJECTED_FILES: '2',
        OS_QUOTA__INJECTED_FILE_CONTENT_BYTES: '16',
        OS_QUOTA__INJECTED_FILE_PATH_LENGTH: '20',
      })),
  );
  after(() => cloud.stop());

  it('delivers personality files, decoded, to the driver (before 2.57)', async () => {
    const r = await cloud.boot(
      {
        networks: 'none',
        personality: [
          { path: '/etc/motd', contents: b64('hello world') },
          { path: '/root/x', contents: b64('é') },
        ],
      },
      { version: '2.56' },
    );
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const row = await cloud.settled(r.body.server.id);
    assert.equal(row.vm_state, 'active');
    assert.deepEqual(cloud.driver.injectedFiles(row.uuid), [
      { path: '/etc/motd', contents: 'hello world' },
      { path: '/root/x', contents: 'é' },
    ]);
  });

  it('enforces the injected file limits (403) and base64 (400); 2.57 has no personality', async () => {
    const over = async (personality: unknown[], status: number, re: RegExp) => {
      const r = await cloud.boot({ networks: 'none', personality }, { version: '2.56' });
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.match(JSON.stringify(r.body), re);
    };
    const f = { path: '/a', contents: b64('x') };
    await over([f, f, f], 403, /Personality file limit exceeded/);
    await over([{ path: '/a', contents: b64('x'.repeat(17)) }], 403, /content exceeds maximum 16/);
    await over([{ path: `/${'p'.repeat(20)}`, contents: '' }], 403, /path exceeds maximum 20/);
    await over([{ path: '/a', contents: 'abc' }], 400, /is not a 'base64'/);
    const r = await cloud.boot({ networks: 'none', personality: [f] }, { version: '2.57' });
    assert.equal(r.status, 400);
  });

  it('2.74: a requested node or host is where the server goes; unknown ones are a 400', async () => {
    for (const node of ['test-host-3', 'test-host-2', 'test-host-3']) {
      const r = await cloud.boot(
        { networks: 'none', hypervisor_hostname: node },
        { version: '2.74' },
      );
      assert.equal(r.status, 202, JSON.stringify(r.body));
      const row = await cloud.settled(r.body.server.id);
      assert.equal(row.vm_state, 'active');
      assert.equal(row.node, node);
    }
    const both = await cloud.boot(
      { networks: 'none', host: 'test-host', hypervisor_hostname: 'test-host-1' },
      { version: '2.74' },
    );
    assert.equal((await cloud.settled(both.body.server.id)).node, 'test-host-1');
    const host = await cloud.boot({ networks: 'none', host: 'test-host' }, { version: '2.74' });
    assert.equal((await cloud.settled(host.body.server.id)).host, 'test-host');

    const unknown = await cloud.boot(
      { networks: 'none', hypervisor_hostname: 'nowhere' },
      { version: '2.74' },
    );
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.badRequest.message, /Compute host .* could not be found/);
    const mixed = await cloud.boot(
      { networks: 'none', host: 'test-host', availability_zone: 'nova:test-host' },
      { version: '2.74' },
    );
    assert.equal(mixed.status, 400);
    assert.match(mixed.body.badRequest.message, /mutually exclusive/);
    const member = await cloud.boot(
      { networks: 'none', host: 'test-host' },
      { version: '2.74', token: 'demo:demo' },
    );
    assert.equal(member.status, 403);
    const old = await cloud.boot({ networks: 'none', host: 'test-host' }, { version: '2.73' });
    assert.equal(old.status, 400);
  });

  it('PUT of one tag: 201 with a Location when new, 204 when the server had it', async () => {
    const r = await cloud.boot({ networks: 'none' }, { version: '2.37' });
    const id = r.body.server.id as string;
    await cloud.settled(id);
    const first = await cloud.request('PUT', `/v2.1/servers/${id}/tags/blue`, { version: '2.26' });
    assert.equal(first.status, 201);
    assert.match(String(first.headers.location), new RegExp(`/v2.1/servers/${id}/tags/blue$`));
    const again = await cloud.request('PUT', `/v2.1/servers/${id}/tags/blue`, { version: '2.26' });
    assert.equal(again.status, 204);
    assert.equal(again.headers.location, undefined);
    const list = await cloud.request('GET', `/v2.1/servers/${id}/tags`, { version: '2.26' });
    assert.deepEqual(list.body, { tags: ['blue'] });
  });
});
