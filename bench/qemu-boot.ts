/**
 * QEMU machine-layer benchmark: time from start to the guest's boot marker through the
 * supervisor against the very same QEMU argv spawned by hand (median of 5, interleaved), and the
 * total time and downtime QEMU reports for live migrations on this host (median of 5).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConfigDrive, buildTestGuest, qemuSkipReason } from '../test/harness/test-guest.js';
import { sleep } from '../src/common/deadline.js';
import { buildQemuArgv } from '../src/compute/virt/qemu/command-line.js';
import { liveMigrate } from '../src/compute/virt/qemu/live-migration.js';
import type { MachineSpec } from '../src/compute/virt/qemu/machine-spec.js';
import { QemuSupervisor } from '../src/compute/virt/qemu/qemu-supervisor.js';
import { runDirLayout } from '../src/compute/virt/qemu/run-dir.js';

const RUNS = 5;
const MARKER = 'STRATUS-GUEST-BOOTED';
const BOOT_DEADLINE_MS = 120_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Polls a file every 10 ms until it contains `text`. */
async function waitForText(path: string, text: string): Promise<void> {
  const until = Date.now() + BOOT_DEADLINE_MS;
  while (Date.now() < until) {
    try {
      if (readFileSync(path, 'utf8').includes(text)) return;
    } catch {
      // not created yet
    }
    await sleep(10);
  }
  throw new Error(`${text} not seen in ${path} within ${BOOT_DEADLINE_MS} ms`);
}

/** Prints the QEMU boot-overhead and migration table. */
export async function runQemuBench(): Promise<void> {
  const skip = qemuSkipReason();
  if (skip) {
    console.log(`qemu bench skipped: ${skip}`);
    return;
  }
  const guest = await buildTestGuest();
  const root = mkdtempSync(join(tmpdir(), 'stratus-qemu-bench-'));
  const runBase = join(root, 'run');
  mkdirSync(runBase);
  const supervisor = new QemuSupervisor({ runBaseDir: runBase, shutdownTimeoutMs: 0 });
  const specFor = async (name: string): Promise<MachineSpec> => {
    const uuid = randomUUID();
    return {
      name,
      uuid,
      vcpus: 1,
      memoryMiB: 256,
      machineType: 'pc',
      accelerator: 'tcg',
      disks: [],
      kernelBoot: { kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0 quiet' },
      configDrive: {
        path: await buildConfigDrive(join(root, `${uuid}.iso`), { uuid, name }),
      },
    };
  };

  try {
    const layer: number[] = [];
    const hand: number[] = [];
    const viaLayer = async (i: number): Promise<void> => {
      const spec = await specFor(`bench-layer-${i}`);
      const t0 = performance.now();
      const m = await supervisor.start(spec);
      await m.console.waitForLine(new RegExp(`^${MARKER}$`), BOOT_DEADLINE_MS, { pollMs: 10 });
      layer.push(performance.now() - t0);
      await m.stop();
    };
    const byHand = async (i: number): Promise<void> => {
      const spec = await specFor(`bench-hand-${i}`);
      const paths = runDirLayout(join(runBase, spec.uuid));
      mkdirSync(paths.dir, { recursive: true });
      const argv = buildQemuArgv(spec, paths);
      const t0 = performance.now();
      const child = spawn('qemu-system-x86_64', argv, { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      try {
        await waitForText(paths.consoleLog, MARKER);
        hand.push(performance.now() - t0);
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    };
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, alternating which goes first, so load changes on this shared machine hit
      // both columns alike.
      if (i % 2 === 0) {
        await viaLayer(i);
        await byHand(i);
      } else {
        await byHand(i);
        await viaLayer(i);
      }
    }

    const totals: number[] = [];
    const downtimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const spec = await specFor(`bench-migrate-${i}`);
      const source = await supervisor.start(spec);
      await source.console.waitForLine(/^STRATUS-COUNTER 1 /, BOOT_DEADLINE_MS);
      const target = await supervisor.start(
        { ...spec, incoming: true },
        { runDirName: `${spec.uuid}.incoming` },
      );
      const r = await liveMigrate(source, target, { timeoutMs: 120_000 });
      totals.push(r.totalTimeMs);
      downtimes.push(r.downtimeMs);
      await target.stop();
    }

    const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;
    const overhead = ((median(layer) - median(hand)) / median(hand)) * 100;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `\nQEMU machine layer (TCG, pc, 256 MiB, direct boot + config drive; load ${load})`,
    );
    console.log('| measure | median of 5 | runs |');
    console.log('|---|---|---|');
    console.log(
      `| start → ${MARKER}, through the supervisor | ${ms(median(layer))} | ${layer.map(ms).join(', ')} |`,
    );
    console.log(
      `| start → ${MARKER}, same argv by hand | ${ms(median(hand))} | ${hand.map(ms).join(', ')} |`,
    );
    console.log(`| layer overhead (target < 5%) | ${overhead.toFixed(1)}% | |`);
    console.log(
      `| live migration total-time (QEMU) | ${median(totals)} ms | ${totals.join(', ')} |`,
    );
    console.log(
      `| live migration downtime (QEMU) | ${median(downtimes)} ms | ${downtimes.join(', ')} |`,
    );
  } finally {
    // Everything started here was stopped above; on an error, stop what is still running.
    const { attached } = await supervisor.reattachAll();
    await Promise.all(attached.map((m) => m.stop({ shutdownTimeoutMs: 0 }).catch(() => undefined)));
    rmSync(root, { recursive: true, force: true });
  }
}
