// Real QEMU: the supervising Node process dies (kill -9), QEMU keeps running, a new supervisor
// re-attaches from the run directories, reads the console and stops the machine cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { qemuSkipReason } from '../../../../test/harness/test-guest.js';
import { withDeadline } from '../../../common/deadline.js';
import { processState } from './process-identity.js';
import { QemuSupervisor } from './qemu-supervisor.js';
import { BOOT_TIMEOUT_MS, qemuFixture } from './qemu-test-fixture.js';

const skip = qemuSkipReason();
const CHILD = fileURLToPath(new URL('./supervisor-child.fixture.ts', import.meta.url));

test(
  'kill -9 of the supervisor leaves QEMU running; a new one re-attaches and stops it',
  { skip, timeout: 300_000 },
  async () => {
    const fx = await qemuFixture();
    let qemuPid: number | undefined;
    try {
      const spec = fx.directSpec({ name: 'reattach-vm' });
      spec.configDrive = { path: await fx.configDrive(spec, 'survivor\n') };
      const specPath = join(fx.files, 'spec-input.json');
      writeFileSync(specPath, JSON.stringify(spec));

      const agent = spawn(process.execPath, ['--import', 'tsx', CHILD, fx.base, specPath], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const started = await withDeadline('child supervisor start', 120_000, async () => {
        for await (const line of createInterface({ input: agent.stdout! })) {
          return JSON.parse(line) as { pid: number; runDir: string };
        }
        throw new Error('child supervisor exited without starting the machine');
      });
      qemuPid = started.pid;
      const agentGone = new Promise((r) => agent.once('exit', r));
      agent.kill('SIGKILL');
      await agentGone;
      assert.equal(await processState(qemuPid), 'alive', 'QEMU survived its supervisor');

      // A dead machine and a recycled pid (our own: alive, but not QEMU) sit beside it.
      const deadDir = join(fx.base, 'dead-one');
      mkdirSync(deadDir);
      writeFileSync(
        join(deadDir, 'spec.json'),
        JSON.stringify({ ...spec, uuid: '00000000-0000-4000-8000-000000000001' }),
      );
      writeFileSync(join(deadDir, 'qemu.pid'), '999999999\n');
      const recycledDir = join(fx.base, 'recycled-one');
      mkdirSync(recycledDir);
      writeFileSync(join(recycledDir, 'spec.json'), JSON.stringify(spec));
      writeFileSync(join(recycledDir, 'qemu.pid'), `${process.pid}\n`);

      const supervisor = new QemuSupervisor({ runBaseDir: fx.base, shutdownTimeoutMs: 30_000 });
      const { attached, dead } = await supervisor.reattachAll();
      assert.deepEqual(
        attached.map((m) => m.pid),
        [qemuPid],
      );
      assert.deepEqual(dead.map((d) => d.runDir).sort(), [deadDir, recycledDir].sort());
      assert.match(dead.find((d) => d.runDir === recycledDir)!.reason, /not qemu-system/);
      const m = attached[0]!;
      assert.equal(m.spec.uuid, spec.uuid);

      // The console written while nobody watched is there, and the guest is still counting.
      await m.console.waitForLine(/^survivor$/, BOOT_TIMEOUT_MS);
      const size = await m.console.size();
      await m.console.waitForLine(/^STRATUS-COUNTER \d+ /, 60_000, { fromOffset: size });
      assert.ok((await m.console.tail(5)).some((l) => l.startsWith('STRATUS-COUNTER')));
      assert.equal(await m.status(), 'running');

      const r = await m.stop();
      assert.equal(r.step, 'powerdown');
      assert.equal(r.exit.shutdown?.reason, 'guest-shutdown');
      assert.notEqual(await processState(qemuPid), 'alive');
      await supervisor.removeRunDir(started.runDir);
    } finally {
      if (qemuPid !== undefined && (await processState(qemuPid)) === 'alive')
        process.kill(qemuPid, 'SIGKILL');
      await fx.cleanup();
    }
  },
);
