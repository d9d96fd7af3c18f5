import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PowerState } from '../../power-state.js';
import { registerDriverContract, spawnRequest } from '../driver-contract.js';
import { FakeDriver, InjectedFailureError } from './fake-driver.js';
import type { FakeDriverConfig } from './fake-options.js';

function config(overrides: Partial<FakeDriverConfig> = {}): FakeDriverConfig {
  return {
    nodes: 1,
    vcpus: 8,
    memory_mb: 16384,
    local_gb: 100,
    hypervisor_type: 'fake',
    delay_ms: {},
    failure_rate: {},
    fail_spawn_on_nodes: [],
    ...overrides,
  };
}

registerDriverContract('fake', async () => new FakeDriver(config()));
registerDriverContract('fake with 3 nodes', async () => new FakeDriver(config({ nodes: 3 })));

describe('fake driver', () => {
  it('names one node after the host and many nodes host-N', async () => {
    const one = new FakeDriver(config());
    await one.initHost('cmp1');
    assert.deepEqual(
      (await one.nodes()).map((n) => n.nodename),
      ['cmp1'],
    );
    const many = new FakeDriver(config({ nodes: 3 }));
    await many.initHost('cmp1');
    assert.deepEqual(
      (await many.nodes()).map((n) => n.nodename),
      ['cmp1-1', 'cmp1-2', 'cmp1-3'],
    );
  });

  it('fails every spawn on the configured nodes and leaves nothing behind', async () => {
    const d = new FakeDriver(config({ nodes: 2, fail_spawn_on_nodes: ['h-1'] }));
    await d.initHost('h');
    const bad = await spawnRequest(d, { node: 'h-1' });
    await assert.rejects(d.spawn(bad), InjectedFailureError);
    assert.deepEqual(await d.listGuests(), []);
    const good = await spawnRequest(d, { node: 'h-2' });
    await d.spawn(good);
    assert.equal((await d.listGuests()).length, 1);
  });

  it('injects failures at the configured rate', async () => {
    const rolls = [0.1, 0.9];
    const d = new FakeDriver(config({ failure_rate: { spawn: '0.5' } }), () => rolls.shift() ?? 0);
    await d.initHost('h');
    await assert.rejects(d.spawn(await spawnRequest(d)), /Injected failure of spawn/);
    await d.spawn(await spawnRequest(d));
  });

  it('delays operations as configured, and a spawn can be aborted while it waits', async () => {
    const d = new FakeDriver(config({ delay_ms: { spawn: '10000' } }));
    await d.initHost('h');
    const ac = new AbortController();
    const pending = d.spawn(await spawnRequest(d), ac.signal);
    ac.abort(new Error('deadline'));
    await assert.rejects(pending, /deadline/);
    assert.deepEqual(await d.listGuests(), []);
  });

  it('records the files and NICs a guest was spawned with, and shows them on its console', async () => {
    const d = new FakeDriver(config());
    await d.initHost('h');
    const req = await spawnRequest(d, {
      injectedFiles: [{ path: '/etc/motd', contents: 'hello' }],
      network: [{ mac: 'fa:16:3e:00:00:01', ip: '10.0.0.2', network: 'private' }],
    });
    await d.spawn(req);
    assert.deepEqual(d.injectedFiles(req.uuid), [{ path: '/etc/motd', contents: 'hello' }]);
    assert.equal(d.guestNetwork(req.uuid)[0]!.ip, '10.0.0.2');
    const console = await d.consoleOutput(req.uuid);
    assert.match(console, /injected \/etc\/motd \(5 chars\)/);
    assert.match(console, /nic fa:16:3e:00:00:01 10\.0\.0\.2 on private/);
  });

  it('refuses a node it does not manage', async () => {
    const d = new FakeDriver(config());
    await d.initHost('h');
    await assert.rejects(d.spawn(await spawnRequest(d, { node: 'elsewhere' })), /not managed/);
  });

  it('keeps its guests in [fake] guests_file across a restart, as a hypervisor outlives its agent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-guests-'));
    try {
      const file = join(dir, 'guests.json');
      const first = new FakeDriver(config({ guests_file: file }));
      await first.initHost('h');
      const kept = await spawnRequest(first);
      const gone = await spawnRequest(first);
      await first.spawn(kept);
      await first.spawn(gone);
      await first.powerOff(kept.uuid, 0);
      await first.destroy(gone.uuid);
      await first.close();
      const again = new FakeDriver(config({ guests_file: file }));
      await again.initHost('h');
      assert.deepEqual(await again.listGuests(), [
        { uuid: kept.uuid, node: 'h', powerState: PowerState.SHUTDOWN },
      ]);
      assert.match(await again.consoleOutput(kept.uuid), /power off/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
