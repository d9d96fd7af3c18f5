import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { NotImplementedError, StratusError } from '../../common/errors.js';
import { PowerState } from '../power-state.js';
import type { SpawnRequest, VirtDriver } from './driver.js';

/** Builds a spawn request for the first node of a driver. */
export async function spawnRequest(
  driver: VirtDriver,
  overrides: Partial<SpawnRequest> = {},
): Promise<SpawnRequest> {
  const [node] = await driver.nodes();
  assert.ok(node, 'the driver has at least one node');
  return {
    uuid: randomUUID(),
    name: 'instance-00000001',
    node: node.nodename,
    vcpus: 1,
    memoryMb: 128,
    rootGb: 1,
    ephemeralGb: 0,
    swapMb: 0,
    imageId: null,
    imageProperties: {},
    userData: null,
    configDrive: false,
    injectedFiles: [],
    network: [],
    metadata: {},
    ...overrides,
  };
}

/**
 * The virt driver contract: what every driver must do, registered as node:test tests. The fake
 * driver runs it in its own tests; the QEMU driver will run the same suite.
 */
export function registerDriverContract(name: string, makeDriver: () => Promise<VirtDriver>): void {
  describe(`virt driver contract: ${name}`, () => {
    let driver: VirtDriver;
    const spawned: string[] = [];
    beforeEach(async () => {
      driver = await makeDriver();
      await driver.initHost('contract-host');
    });
    afterEach(async () => {
      for (const uuid of spawned.splice(0)) await driver.destroy(uuid).catch(() => undefined);
      await driver.close();
    });
    const spawn = async (overrides: Partial<SpawnRequest> = {}) => {
      const req = await spawnRequest(driver, overrides);
      await driver.spawn(req);
      spawned.push(req.uuid);
      return req;
    };

    it('reports nodes with resources', async () => {
      const nodes = await driver.nodes();
      assert.ok(nodes.length >= 1);
      for (const n of nodes) {
        assert.ok(n.nodename.length > 0);
        assert.ok(n.vcpus > 0 && n.memoryMb > 0 && n.localGb > 0);
        assert.equal(typeof n.hypervisorType, 'string');
      }
    });

    it("tells the host's uptime as `uptime` prints it, or that it cannot", async () => {
      try {
        assert.match(
          await driver.hostUptime(),
          /^ \d\d:\d\d:\d\d up .*, +\d+ users?, +load average: [\d.]+, [\d.]+, [\d.]+$/,
        );
      } catch (err) {
        assert.ok(err instanceof NotImplementedError, String(err));
      }
    });

    it('spawns a running guest that is listed and can be looked up', async () => {
      const req = await spawn();
      assert.equal((await driver.guestInfo(req.uuid))?.powerState, PowerState.RUNNING);
      const listed = await driver.listGuests();
      assert.ok(listed.some((g) => g.uuid === req.uuid && g.node === req.node));
      assert.ok((await driver.consoleOutput(req.uuid)).length > 0);
    });

    it('refuses to spawn the same guest twice', async () => {
      const req = await spawn();
      await assert.rejects(driver.spawn(req), StratusError);
    });

    it('powers off and on, pauses and unpauses, suspends and resumes, reboots', async () => {
      const { uuid } = await spawn();
      const state = async () => (await driver.guestInfo(uuid))?.powerState;
      await driver.powerOff(uuid, 5);
      assert.equal(await state(), PowerState.SHUTDOWN);
      await driver.powerOn(uuid);
      assert.equal(await state(), PowerState.RUNNING);
      await driver.pause(uuid);
      assert.equal(await state(), PowerState.PAUSED);
      await assert.rejects(driver.suspend(uuid), StratusError);
      await driver.unpause(uuid);
      await driver.suspend(uuid);
      assert.equal(await state(), PowerState.SUSPENDED);
      await driver.resume(uuid);
      await driver.reboot(uuid, 'SOFT');
      await driver.powerOff(uuid, 5);
      await driver.reboot(uuid, 'HARD');
      assert.equal(await state(), PowerState.RUNNING);
    });

    it('destroys a guest, and destroying a missing guest succeeds', async () => {
      const { uuid } = await spawn();
      await driver.destroy(uuid);
      assert.equal(await driver.guestInfo(uuid), undefined);
      await driver.destroy(uuid);
      await driver.destroy(randomUUID());
    });

    it('fails operations on a missing guest with a typed error', async () => {
      const uuid = randomUUID();
      await assert.rejects(driver.powerOn(uuid), StratusError);
      await assert.rejects(driver.pause(uuid), StratusError);
      await assert.rejects(driver.consoleOutput(uuid), StratusError);
    });
  });
}
