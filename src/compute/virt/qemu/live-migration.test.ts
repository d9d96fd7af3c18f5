// Real QEMU: live migration between two processes on this machine over loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qemuSkipReason } from '../../../../test/harness/test-guest.js';
import { liveMigrate } from './live-migration.js';
import { BOOT_TIMEOUT_MS, qemuFixture } from './qemu-test-fixture.js';

const skip = qemuSkipReason();

function counters(text: string): number[] {
  return [...text.matchAll(/^STRATUS-COUNTER (\d+) /gm)].map((m) => Number(m[1]));
}

test(
  'live migration: the target continues the counter with no boot lines',
  { skip, timeout: 300_000 },
  async () => {
    const fx = await qemuFixture();
    try {
      const spec = fx.directSpec({ name: 'migrating-vm' });
      spec.configDrive = { path: await fx.configDrive(spec) };
      const source = await fx.start(spec);
      await source.console.waitForLine(/^STRATUS-COUNTER 2 /, BOOT_TIMEOUT_MS);

      const target = await fx.start(
        { ...spec, incoming: true },
        { runDirName: `${spec.uuid}.incoming` },
      );
      assert.equal(await target.status(), 'inmigrate');

      const result = await liveMigrate(source, target, { timeoutMs: 120_000 });
      assert.match(result.uri, /^tcp:127\.0\.0\.1:\d+$/);
      assert.ok(result.totalTimeMs > 0, 'QEMU reported a total time');
      assert.ok(result.downtimeMs >= 0 && result.downtimeMs < result.totalTimeMs);
      assert.equal(await target.status(), 'running');
      assert.equal(source.alive, false, 'the source was quit in postmigrate');
      const sourceExit = await source.exited;
      assert.equal(sourceExit.shutdown?.reason, 'host-qmp-quit');

      const last = counters(await source.console.read()).at(-1)!;
      await target.console.waitForLine(/^STRATUS-COUNTER \d+ /, 60_000);
      const targetText = await target.console.read();
      assert.equal(counters(targetText)[0], last + 1, 'the counter continued');
      assert.ok(!targetText.includes('STRATUS-GUEST-BOOTED'), 'no boot lines on the target');
      assert.ok(!targetText.includes('Linux version'), 'no kernel boot on the target');

      const r = await target.stop();
      assert.equal(r.step, 'powerdown');
    } finally {
      await fx.cleanup();
    }
  },
);
