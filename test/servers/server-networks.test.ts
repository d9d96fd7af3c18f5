// NICs on the flat network through the servers API and the real boot pipeline: auto, none,
// explicit network and fixed IP, the 400s Nova gives, addresses in the server body and under
// /ips, release on delete and on reschedule, and a build that fails when the pool runs out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cellDb } from '../../src/compute/api/servers/server-reads.js';
import { startServersCloud, type ServersCloud } from './harness/servers-cloud.js';

const NET = '2c5f6e1a-7d3b-4c8e-9f0a-1b2c3d4e5f60';

async function heldBy(cloud: ServersCloud, uuid: string): Promise<string[]> {
  const rows = await cellDb(cloud.cell)
    .selectFrom('fixed_ips')
    .select('address')
    .where('instance_uuid', '=', uuid)
    .execute();
  return rows.map((r) => r.address);
}

describe('servers: NICs on the flat network', () => {
  let cloud: ServersCloud;
  before(
    async () => (cloud = await startServersCloud({ OS_FLAT_NETWORK__CIDR_V6: 'fd00:1::/64' })),
  );
  after(() => cloud.stop());

  it('auto gives one NIC with a fixed IP and a Neutron-style MAC, shown in the body and /ips', async () => {
    const created = await cloud.boot({ networks: 'auto' }, { version: '2.37' });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const id = created.body.server.id as string;
    assert.match(String(created.headers.location), new RegExp(`/v2.1/servers/${id}$`));
    const row = await cloud.settled(id);
    assert.equal(row.vm_state, 'active');

    const shown = await cloud.request('GET', `/v2.1/servers/${id}`, { version: '2.37' });
    const addrs = shown.body.server.addresses as Record<string, any[]>;
    assert.deepEqual(Object.keys(addrs), ['private']);
    const [v4, v6] = addrs.private!;
    assert.equal(v4.version, 4);
    assert.match(v4.addr, /^10\.0\.0\.\d+$/);
    assert.equal(v4['OS-EXT-IPS:type'], 'fixed');
    assert.match(v4['OS-EXT-IPS-MAC:mac_addr'], /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    assert.equal(v6.version, 6);
    assert.match(v6.addr, /^fd00:1::/);
    assert.equal(v6['OS-EXT-IPS-MAC:mac_addr'], v4['OS-EXT-IPS-MAC:mac_addr']);

    const detail = await cloud.request('GET', '/v2.1/servers/detail', { version: '2.37' });
    const listed = (detail.body.servers as any[]).find((x) => x.id === id);
    assert.deepEqual(listed.addresses, addrs);

    const ips = await cloud.request('GET', `/v2.1/servers/${id}/ips`);
    assert.equal(ips.status, 200);
    assert.deepEqual(ips.body, {
      addresses: {
        private: [
          { version: 4, addr: v4.addr },
          { version: 6, addr: v6.addr },
        ],
      },
    });
    const one = await cloud.request('GET', `/v2.1/servers/${id}/ips/private`);
    assert.deepEqual(one.body, { private: ips.body.addresses.private });
    const other = await cloud.request('GET', `/v2.1/servers/${id}/ips/public`);
    assert.equal(other.status, 404);
    assert.match(other.body.itemNotFound.message, /not a member of specified network/);

    // The driver was asked to plug exactly that NIC.
    assert.deepEqual(
      cloud.driver.guestNetwork(id).map((n) => n.ip),
      [v4.addr, v6.addr],
    );
  });

  it('before 2.37 no networks means auto; none means no NIC', async () => {
    const legacy = await cloud.boot({}, { version: '2.1' });
    assert.equal(legacy.status, 202, JSON.stringify(legacy.body));
    await cloud.settled(legacy.body.server.id);
    assert.equal((await heldBy(cloud, legacy.body.server.id)).length, 2);

    const none = await cloud.boot({ networks: 'none' }, { version: '2.37' });
    const row = await cloud.settled(none.body.server.id);
    assert.equal(row.vm_state, 'active');
    const shown = await cloud.request('GET', `/v2.1/servers/${row.uuid}`, { version: '2.37' });
    assert.deepEqual(shown.body.server.addresses, {});
    assert.deepEqual(cloud.driver.guestNetwork(row.uuid), []);
  });

  it('honours a fixed IP, refuses one in use or outside the pool, and frees it on delete', async () => {
    const nic = { uuid: NET, fixed_ip: '10.0.0.200' };
    const first = await cloud.boot({ networks: [nic] }, { version: '2.37' });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    const id = first.body.server.id as string;
    await cloud.settled(id);
    assert.ok((await heldBy(cloud, id)).includes('10.0.0.200'));

    const taken = await cloud.boot({ networks: [nic] }, { version: '2.37' });
    assert.equal(taken.status, 400);
    assert.equal(
      taken.body.badRequest.message,
      `Fixed IP address 10.0.0.200 is already in use on instance ${id}.`,
    );
    for (const fixed of ['10.0.1.5', '10.0.0.1', '10.0.0.255']) {
      const bad = await cloud.boot(
        { networks: [{ uuid: NET, fixed_ip: fixed }] },
        { version: '2.37' },
      );
      assert.equal(bad.status, 400, fixed);
      assert.match(bad.body.badRequest.message, /is not a valid ip address for network/);
    }
    const many = await cloud.boot(
      { networks: [{ uuid: NET, fixed_ip: '10.0.0.201' }], max_count: 2 },
      { version: '2.37' },
    );
    assert.equal(many.status, 400);
    assert.match(many.body.badRequest.message, /max_count cannot be greater than 1/);

    const del = await cloud.request('DELETE', `/v2.1/servers/${id}`);
    assert.equal(del.status, 204);
    await cloud.settled(id);
    assert.deepEqual(await heldBy(cloud, id), []);
    const again = await cloud.boot({ networks: [nic] }, { version: '2.37' });
    assert.equal(again.status, 202, JSON.stringify(again.body));
    await cloud.settled(again.body.server.id);
    assert.ok((await heldBy(cloud, again.body.server.id)).includes('10.0.0.200'));
  });

  it('answers 400 for an unknown network, a port, or a malformed network uuid', async () => {
    const unknown = await cloud.boot(
      { networks: [{ uuid: 'b0b0b0b0-0000-4000-8000-000000000000' }] },
      { version: '2.37' },
    );
    assert.equal(unknown.status, 400);
    assert.equal(
      unknown.body.badRequest.message,
      'Network b0b0b0b0-0000-4000-8000-000000000000 could not be found.',
    );
    const port = await cloud.boot(
      { networks: [{ port: 'c0c0c0c0-0000-4000-8000-000000000000' }] },
      { version: '2.37' },
    );
    assert.equal(port.status, 400);
    assert.match(port.body.badRequest.message, /Port id c0c0c0c0-.* could not be found/);
    const malformed = await cloud.boot({ networks: [{ uuid: 'not-a-uuid' }] }, { version: '2.1' });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.badRequest.message, /Bad networks format/);
  });

  it('/os-networks (until 2.35) lists and shows the flat network, as the CLI resolves it', async () => {
    const list = await cloud.request('GET', '/v2.1/os-networks', { token: 'demo:demo' });
    assert.equal(list.status, 200);
    assert.equal(list.body.networks.length, 1);
    assert.equal(list.body.networks[0].id, NET);
    assert.equal(list.body.networks[0].label, 'private');
    assert.equal(list.body.networks[0].bridge, undefined);
    const shown = await cloud.request('GET', `/v2.1/os-networks/${NET}`);
    assert.equal(shown.body.network.label, 'private');
    assert.equal(shown.body.network.bridge, null);
    assert.equal((await cloud.request('GET', '/v2.1/os-networks/private')).status, 404);
    const gone = await cloud.request('GET', '/v2.1/os-networks', { version: '2.36' });
    assert.equal(gone.status, 404);
  });

  it('two NICs on the flat network get two addresses in order', async () => {
    const r = await cloud.boot(
      { networks: [{ uuid: NET, fixed_ip: '10.0.0.150' }, { uuid: NET }] },
      { version: '2.37' },
    );
    assert.equal(r.status, 202, JSON.stringify(r.body));
    await cloud.settled(r.body.server.id);
    const ips = await cloud.request('GET', `/v2.1/servers/${r.body.server.id}/ips`);
    const v4 = (ips.body.addresses.private as { version: number; addr: string }[]).filter(
      (a) => a.version === 4,
    );
    assert.equal(v4.length, 2);
    assert.equal(v4[0]!.addr, '10.0.0.150');
  });
});

describe('servers: NICs across a reschedule and an exhausted pool', () => {
  let cloud: ServersCloud;
  before(
    async () =>
      (cloud = await startServersCloud({
        OS_FAKE__NODES: '2',
        OS_FAKE__FAIL_SPAWN_ON_NODES: 'test-host-1',
        OS_FLAT_NETWORK__CIDR: '10.7.0.0/29',
      })),
  );
  after(() => cloud.stop());

  it('a rescheduled build holds only the address of its last attempt', async () => {
    const r = await cloud.boot({ networks: 'auto' }, { version: '2.37' });
    const row = await cloud.settled(r.body.server.id);
    assert.equal(row.vm_state, 'active');
    assert.equal(row.node, 'test-host-2');
    assert.equal((await heldBy(cloud, row.uuid)).length, 1);
  });

  it("a build that finds no free address ends in ERROR with Nova's fault, not rescheduled", async () => {
    // A /29 has five pool addresses; one is taken by the test above.
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await cloud.boot({ networks: 'auto' }, { version: '2.37' });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      ids.push(r.body.server.id);
    }
    const rows = await Promise.all(ids.map((id) => cloud.settled(id)));
    const failed = rows.filter((row) => row.vm_state === 'error');
    assert.equal(failed.length, 1, JSON.stringify(rows.map((x) => [x.vm_state, x.node])));
    const fault = await cloud.instances.latestFault(failed[0]!.uuid);
    assert.match(
      fault?.message ?? '',
      /aborted: Failed to allocate the network\(s\) with error No fixed IP addresses available for network: .*, not rescheduling\./,
    );
    assert.deepEqual(await heldBy(cloud, failed[0]!.uuid), []);
    // Deleting a server gives its address to the next one.
    const victim = rows.find((row) => row.vm_state === 'active')!;
    assert.equal((await cloud.request('DELETE', `/v2.1/servers/${victim.uuid}`)).status, 204);
    await cloud.settled(victim.uuid);
    const next = await cloud.boot({ networks: 'auto' }, { version: '2.37' });
    assert.equal((await cloud.settled(next.body.server.id)).vm_state, 'active');
  });
});
