/**
 * The Stratus test guest for real-QEMU tests: builds it once into <repo>/.cache/test-guest with
 * scripts/build-test-guest (a cache hit takes a second; concurrent builders wait on a lock),
 * makes config drives, and gates tests on QEMU being installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the guest artefacts are cached (gitignored via `.cache/`). */
export const TEST_GUEST_CACHE = join(REPO, '.cache', 'test-guest');

/** Paths of the built test guest. */
export interface TestGuest {
  dir: string;
  kernel: string;
  initrd: string;
  /** Bootable 64 MiB qcow2 (syslinux); use it as a backing file, never directly. */
  disk: string;
  /** A sample config drive (name stratus-test-vm). */
  configDrive: string;
}

/** The QEMU binaries real-QEMU tests need. */
const REQUIRED = ['qemu-system-x86_64', 'qemu-img'];

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '/usr/bin:/bin')
    .split(':')
    .some((d) => d !== '' && existsSync(join(d, bin)));
}

/**
 * The `skip` option for real-QEMU tests: false when QEMU is installed, else the reason. Under
 * CI=true a missing QEMU throws instead, so CI can never pass by skipping.
 */
export function qemuSkipReason(): string | false {
  const missing = REQUIRED.filter((b) => !onPath(b));
  if (missing.length === 0) return false;
  const reason = `${missing.join(', ')} not installed; apt-get install qemu-system-x86 qemu-utils genisoimage cpio`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  return reason;
}

/** Builds the test guest (or hits the cache) and returns its paths. */
export async function buildTestGuest(): Promise<TestGuest> {
  await run(join(REPO, 'scripts', 'build-test-guest'), ['--out', TEST_GUEST_CACHE], {
    timeout: 10 * 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return {
    dir: TEST_GUEST_CACHE,
    kernel: join(TEST_GUEST_CACHE, 'vmlinuz'),
    initrd: join(TEST_GUEST_CACHE, 'initrd.gz'),
    disk: join(TEST_GUEST_CACHE, 'stratus-guest.qcow2'),
    configDrive: join(TEST_GUEST_CACHE, 'config-drive.iso'),
  };
}

/** What a test config drive says about its instance. */
export interface ConfigDriveContent {
  uuid: string;
  name: string;
  userData?: string;
}

/** Builds an OpenStack config drive ISO (label config-2) at `out`. */
export async function buildConfigDrive(out: string, content: ConfigDriveContent): Promise<string> {
  const work = `${out}.d`;
  mkdirSync(work, { recursive: true });
  const meta = join(work, 'meta_data.json');
  writeFileSync(
    meta,
    JSON.stringify({
      uuid: content.uuid,
      name: content.name,
      hostname: content.name,
      launch_index: 0,
      availability_zone: 'nova',
      meta: {},
      files: [],
    }),
  );
  const args = ['--out', out, '--meta-data', meta];
  if (content.userData !== undefined) {
    const ud = join(work, 'user_data');
    writeFileSync(ud, content.userData);
    args.push('--user-data', ud);
  }
  try {
    await run(join(REPO, 'scripts', 'build-test-guest-config-drive'), args, { timeout: 60_000 });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
