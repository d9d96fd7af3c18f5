// Real QEMU under TCG: boots the test guest through the supervisor. Tests in this file run one
// after the other; each stops what it started.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { join } from 'node:path';
import { qemuSkipReason } from '../../../../test/harness/test-guest.js';
import { sleep } from '../../../common/deadline.js';
import { QemuImg } from './qemu-img.js';
import { processState } from './process-identity.js';
import { BOOT_TIMEOUT_MS, qemuFixture, type QemuFixture } from './qemu-test-fixture.js';
import type { QemuMachine } from './qemu-machine.js';

const skip = qemuSkipReason();
const T = { timeout: 300_000 };

/** The number of the last `STRATUS-COUNTER n` line in the console, or 0. */
async function lastCounter(m: QemuMachine): Promise<number> {
  const lines = await m.console.tail(20);
  const counters = lines.flatMap((l) => /^STRATUS-COUNTER (\d+)/.exec(l)?.[1] ?? []);
  return Number(counters.at(-1) ?? 0);
}

/** Reads the RFB banner the VNC server sends first. */
function rfbBanner(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ path });
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('no RFB banner within 10 s'));
    }, 10_000);
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (got.length >= 12) {
        clearTimeout(timer);
        s.destroy();
        resolve(got.slice(0, 12));
      }
    });
    s.on('error', reject);
  });
}

describe('QEMU machine (real QEMU, TCG)', { skip }, () => {
  let fx: QemuFixture;
  before(async () => {
    fx = await qemuFixture();
  });
  after(async () => {
    await fx?.cleanup();
  });

  test('direct kernel boot with a config drive; VNC; stop/cont; powerdown', T, async () => {
    const spec = fx.directSpec({ name: 'direct-vm' });
    const userData = '#!/bin/sh\necho "hello from user_data"\n';
    spec.configDrive = { path: await fx.configDrive(spec, userData) };
    const m = await fx.start(spec);
    assert.equal(await m.status(), 'running');

    const marker = await m.console.waitForLine(/^STRATUS-GUEST-BOOTED$/, BOOT_TIMEOUT_MS);
    const from = { fromOffset: marker.nextOffset };
    assert.equal(
      (await m.console.waitForLine(/^STRATUS-NAME /, 60_000, from)).line,
      'STRATUS-NAME direct-vm',
    );
    assert.equal(
      (await m.console.waitForLine(/^STRATUS-UUID /, 60_000, from)).line,
      `STRATUS-UUID ${spec.uuid}`,
    );
    await m.console.waitForLine(/^echo "hello from user_data"$/, 60_000, from);
    assert.equal(
      (await m.console.waitForLine(/^STRATUS-CPUS /, 60_000, from)).line,
      'STRATUS-CPUS 1',
    );
    await m.console.waitForLine(/^STRATUS-COUNTER 2 /, 60_000, from);

    // VNC on the unix socket speaks RFB; QMP reports the client.
    const connected = m.qmp.waitForEvent(
      (e) => e.event === 'VNC_CONNECTED',
      10_000,
      'VNC_CONNECTED',
    );
    assert.equal(await rfbBanner(m.paths.vncSocket), 'RFB 003.008\n');
    await connected;

    // stop freezes the counter; cont resumes it at the next number.
    const stopped = m.qmp.waitForEvent((e) => e.event === 'STOP', 10_000, 'STOP');
    await m.pause();
    await stopped;
    assert.equal(await m.status(), 'paused');
    await sleep(300); // a line already in flight may still land
    const frozen = await lastCounter(m);
    await sleep(3000);
    assert.equal(await lastCounter(m), frozen, 'no counter line while paused');
    const resumed = m.qmp.waitForEvent((e) => e.event === 'RESUME', 10_000, 'RESUME');
    await m.resume();
    await resumed;
    const size = await m.console.size();
    const next = await m.console.waitForLine(/^STRATUS-COUNTER /, 30_000, { fromOffset: size });
    assert.match(next.line, new RegExp(`^STRATUS-COUNTER ${frozen + 1} `));

    // The ACPI power button: the guest powers itself off.
    const r = await m.stop();
    assert.equal(r.step, 'powerdown');
    assert.deepEqual(r.exit.shutdown, { guest: true, reason: 'guest-shutdown' });
    assert.equal(r.exit.code, 0);
    await m.console.waitForLine(/^STRATUS-POWERDOWN$/, 5000);
    assert.equal(await processState(m.pid), 'gone');
  });

  test('boot from a qcow2 overlay on q35 with the config drive on virtio-scsi', T, async () => {
    const img = new QemuImg();
    await img.assertSelfContained(fx.guest.disk, 'qcow2');
    const spec = fx.directSpec({ name: 'disk-vm', machineType: 'q35' });
    delete spec.kernelBoot;
    const overlay = join(fx.files, `${spec.uuid}.qcow2`);
    await img.createOverlay(overlay, { path: fx.guest.disk, format: 'qcow2' });
    spec.disks = [{ path: overlay, format: 'qcow2' }];
    spec.configDrive = { path: await fx.configDrive(spec, 'disk user data\n') };
    const m = await fx.start(spec);
    const marker = await m.console.waitForLine(/^STRATUS-GUEST-BOOTED$/, BOOT_TIMEOUT_MS);
    const from = { fromOffset: marker.nextOffset };
    assert.equal(
      (await m.console.waitForLine(/^STRATUS-NAME /, 60_000, from)).line,
      'STRATUS-NAME disk-vm',
    );
    await m.console.waitForLine(/^disk user data$/, 60_000, from);
    await m.console.waitForLine(/^STRATUS-READY$/, 60_000, from);
    const r = await m.stop();
    assert.equal(r.step, 'powerdown');
    assert.equal(r.exit.shutdown?.reason, 'guest-shutdown');
  });

  test(
    'a guest that ignores the power button is stopped by QMP quit after the timeout',
    T,
    async () => {
      const m = await fx.start(
        fx.directSpec({
          name: 'deaf-vm',
          cmdline: 'console=ttyS0 quiet stratus.acpi=0 stratus.cdwait=0',
        }),
      );
      await m.console.waitForLine(/^STRATUS-READY$/, BOOT_TIMEOUT_MS);
      const powerdown = m.qmp.waitForEvent((e) => e.event === 'POWERDOWN', 10_000, 'POWERDOWN');
      const r = await m.stop({ shutdownTimeoutMs: 3000 });
      await powerdown;
      assert.equal(r.step, 'quit');
      assert.deepEqual(r.exit.shutdown, { guest: false, reason: 'host-qmp-quit' });
      assert.ok(r.elapsedMs >= 3000, `waited the shutdown timeout first (${r.elapsedMs} ms)`);
      assert.ok(r.elapsedMs < 3000 + 10_000, `then quit ended it (${r.elapsedMs} ms)`);
      assert.ok(!(await m.console.read()).includes('STRATUS-POWERDOWN'));
    },
  );

  test(
    'a frozen QEMU (SIGSTOP) is ended by the last step, SIGKILL, within its deadlines',
    T,
    async () => {
      const m = await fx.start(fx.directSpec({ name: 'frozen-vm', vnc: false }));
      process.kill(m.pid, 'SIGSTOP'); // our own child: QMP stops answering, SIGTERM stays pending
      const r = await m.stop({
        shutdownTimeoutMs: 500,
        quitTimeoutMs: 500,
        termTimeoutMs: 500,
        killTimeoutMs: 10_000,
      });
      assert.equal(r.step, 'sigkill');
      assert.equal(r.exit.signal, 'SIGKILL');
      assert.equal(await processState(m.pid), 'gone');
    },
  );
});
