// The compute agent's power state sync (Nova's _sync_power_states) over the real boot pipeline:
// a guest that shuts down by itself takes its server to SHUTOFF, a guest started behind the
// database's back is stopped again, and a healthy one is left alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PowerState } from '../../src/compute/power-state.js';
import { startServersCloud, type ServersCloud } from './harness/servers-cloud.js';

describe('compute agent: power state sync', () => {
  let cloud: ServersCloud;
  before(
    async () => (cloud = await startServersCloud({ OS_DEFAULT__SYNC_POWER_STATE_INTERVAL: '1' })),
  );
  after(() => cloud.stop());

  /** Polls the server until `ok` holds for its body. */
  async function until(id: string, ok: (server: any) => boolean): Promise<any> {
    for (let i = 0; i < 100; i++) {
      const r = await cloud.request('GET', `/v2.1/servers/${id}`, { version: '2.90' });
      if (ok(r.body.server)) return r.body.server;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.fail(`server ${id} never reached the expected state`);
  }

  it('stops a server whose guest shut down, and keeps a stopped one stopped', async () => {
    const ids: string[] = [];
    for (const name of ['quiet', 'healthy']) {
      const r = await cloud.boot({ name, networks: 'none' }, { version: '2.90' });
      assert.equal(r.status, 202, JSON.stringify(r.body));
      ids.push(r.body.server.id);
      assert.equal((await cloud.settled(r.body.server.id)).vm_state, 'active');
    }
    const [quiet, healthy] = ids as [string, string];

    await cloud.driver.powerOff(quiet, 0); // the guest shuts itself down
    const stopped = await until(quiet, (s) => s.status === 'SHUTOFF');
    assert.equal(stopped['OS-EXT-STS:vm_state'], 'stopped');
    assert.equal(stopped['OS-EXT-STS:power_state'], PowerState.SHUTDOWN);

    await cloud.driver.powerOn(quiet); // started behind the database's back
    for (let i = 0; i < 100; i++) {
      if ((await cloud.driver.guestInfo(quiet))?.powerState === PowerState.SHUTDOWN) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal((await cloud.driver.guestInfo(quiet))?.powerState, PowerState.SHUTDOWN);
    assert.equal((await until(quiet, () => true)).status, 'SHUTOFF');

    const fine = await until(healthy, () => true);
    assert.equal(fine.status, 'ACTIVE');
    assert.equal(fine['OS-EXT-STS:power_state'], PowerState.RUNNING);
  });
});
