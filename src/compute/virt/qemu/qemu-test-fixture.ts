/**
 * Shared setup of the real-QEMU tests: a temp run base, a supervisor on it, the test guest,
 * spec builders, and a cleanup that stops exactly the machines the test started.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildConfigDrive,
  buildTestGuest,
  type TestGuest,
} from '../../../../test/harness/test-guest.js';
import type { MachineSpec } from './machine-spec.js';
import type { QemuMachine } from './qemu-machine.js';
import { QemuSupervisor, type QemuSupervisorOptions } from './qemu-supervisor.js';

/** Generous deadline for a TCG boot on a loaded 2-core machine (a quiet one takes 3-7 s). */
export const BOOT_TIMEOUT_MS = 120_000;

/** One test's QEMU world. */
export interface QemuFixture {
  /** The supervisor's run base directory. */
  base: string;
  /** A scratch directory for disks, config drives and inputs. */
  files: string;
  guest: TestGuest;
  supervisor: QemuSupervisor;
  /** Starts through the supervisor and remembers the machine for cleanup. */
  start(spec: MachineSpec, opts?: { runDirName?: string }): Promise<QemuMachine>;
  /** A direct-kernel-boot spec on `pc` (IDE config drive when `configDrive` is set). */
  directSpec(overrides?: Partial<MachineSpec> & { cmdline?: string }): MachineSpec;
  /** Builds a config drive for `spec` into the fixture dir. */
  configDrive(spec: { uuid: string; name: string }, userData?: string): Promise<string>;
  /** Stops every machine started here (quit, then signals) and removes the temp dir. */
  cleanup(): Promise<void>;
}

/** Creates a fixture; `opts` override the supervisor options. */
export async function qemuFixture(opts: Partial<QemuSupervisorOptions> = {}): Promise<QemuFixture> {
  const guest = await buildTestGuest();
  const root = mkdtempSync(join(tmpdir(), 'stratus-qemu-'));
  const base = join(root, 'run');
  const files = join(root, 'files');
  mkdirSync(base);
  mkdirSync(files);
  const supervisor = new QemuSupervisor({
    runBaseDir: base,
    shutdownTimeoutMs: 30_000,
    qmpConnectTimeoutMs: 60_000,
    ...opts,
  });
  const started: QemuMachine[] = [];
  return {
    base,
    files,
    guest,
    supervisor,
    async start(spec, startOpts) {
      const m = await supervisor.start(spec, startOpts);
      started.push(m);
      return m;
    },
    directSpec(overrides = {}) {
      const { cmdline, ...rest } = overrides;
      return {
        name: 'stratus-test-vm',
        uuid: randomUUID(),
        vcpus: 1,
        memoryMiB: 256,
        machineType: 'pc',
        accelerator: 'tcg',
        disks: [],
        kernelBoot: {
          kernel: guest.kernel,
          initrd: guest.initrd,
          cmdline: cmdline ?? 'console=ttyS0 quiet',
        },
        ...rest,
      };
    },
    configDrive(spec, userData) {
      return buildConfigDrive(join(files, `${spec.uuid}.iso`), {
        ...spec,
        ...(userData ? { userData } : {}),
      });
    },
    async cleanup() {
      await Promise.all(
        started
          .filter((m) => m.alive)
          .map((m) =>
            m.stop({ shutdownTimeoutMs: 0, quitTimeoutMs: 5000, termTimeoutMs: 5000 }).catch(() => {
              // Last resort, by the pid we started.
              try {
                process.kill(m.pid, 'SIGKILL');
              } catch {
                // already gone
              }
            }),
          ),
      );
      rmSync(root, { recursive: true, force: true });
    },
  };
}
