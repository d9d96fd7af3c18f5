// Deleting a server whose compute host is down (Nova's _local_delete): the API finishes the
// delete in the database at once, releases the Placement allocation and sends the
// instance.delete.start/end notifications the host would have sent; the host destroys the
// guest the next time it checks for guests of deleted instances.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Notification } from '../../src/platform/bus/bus.js';
import { startServersCloud, type ServersCloud } from './harness/servers-cloud.js';

describe('servers: delete while the host is down', () => {
  let cloud: ServersCloud;
  const notifications: Notification[] = [];
  before(async () => {
    cloud = await startServersCloud({
      OS_OSLO_MESSAGING_NOTIFICATIONS__DRIVER: 'messagingv2',
      OS_NOTIFICATIONS__NOTIFICATION_FORMAT: 'versioned',
      OS_DEFAULT__RUNNING_DELETED_INSTANCE_POLL_INTERVAL: '1',
    });
    await cloud.proc.bus.listen('versioned_notifications.info', (n) => void notifications.push(n));
  });
  after(() => cloud.stop());

  it('deletes in the database, frees Placement and notifies start and end', async () => {
    const r = await cloud.boot({ name: 'orphan', networks: 'none' }, { version: '2.90' });
    assert.equal(r.status, 202, JSON.stringify(r.body));
    const id = r.body.server.id as string;
    assert.equal((await cloud.settled(id)).vm_state, 'active');

    const services = (await cloud.request('GET', '/v2.1/os-services', { version: '2.53' })).body
      .services as { id: string; binary: string }[];
    const compute = services.find((s) => s.binary.endsWith('compute'))!;
    const down = await cloud.request('PUT', `/v2.1/os-services/${compute.id}`, {
      version: '2.53',
      body: { forced_down: true },
    });
    assert.equal(down.status, 200, JSON.stringify(down.body));

    assert.equal((await cloud.request('DELETE', `/v2.1/servers/${id}`)).status, 204);
    assert.equal((await cloud.request('GET', `/v2.1/servers/${id}`)).status, 404);
    const allocations = await fetch(`${cloud.placementUrl}/allocations/${id}`, {
      headers: { 'x-auth-token': 'admin' },
    });
    assert.deepEqual(((await allocations.json()) as { allocations: object }).allocations, {});
    const deletes = () =>
      notifications
        .filter((n) => n.eventType.startsWith('instance.delete.'))
        .map((n) => [n.eventType, (n.payload as any)['nova_object.data'].state]);
    for (let i = 0; i < 50 && deletes().length < 2; i++)
      await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(deletes(), [
      ['instance.delete.start', 'active'],
      ['instance.delete.end', 'deleted'],
    ]);
  });

  it("destroys the deleted server's guest once the host looks again, without a restart", async () => {
    const guests = async () => (await cloud.driver.listGuests()).map((g) => g.uuid);
    for (let i = 0; i < 100 && (await guests()).length > 0; i++) {
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.deepEqual(await guests(), []);
  });
});
