import { readFile } from 'node:fs/promises';
import { uptimeText } from '../uptime-text.js';

/** Where the host's uptime facts are read from (overridable for tests). */
export interface HostUptimePaths {
  uptime: string;
  loadavg: string;
  /** The login records; absent on hosts without it (containers): 0 users. */
  utmp: string;
}

/** The Linux defaults. */
export const LINUX_UPTIME_PATHS: HostUptimePaths = {
  uptime: '/proc/uptime',
  loadavg: '/proc/loadavg',
  utmp: '/run/utmp',
};

/** glibc's `struct utmp` on Linux (x86_64 and aarch64): 384 bytes, ut_type first. */
const UTMP_RECORD = 384;
const USER_PROCESS = 7;
const UT_USER_OFFSET = 44;

/** Counts user sessions as `uptime` does: USER_PROCESS records with a user name. */
export function countUtmpUsers(utmp: Buffer): number {
  let n = 0;
  for (let at = 0; at + UTMP_RECORD <= utmp.length; at += UTMP_RECORD) {
    if (utmp.readInt32LE(at) === USER_PROCESS && utmp[at + UT_USER_OFFSET] !== 0) n++;
  }
  return n;
}

/**
 * The hypervisor host's uptime line for the QEMU driver's hostUptime(): read from /proc and
 * utmp rather than by running `uptime` as Nova's libvirt driver does (no process, no locale).
 */
export async function readHostUptime(
  paths: HostUptimePaths = LINUX_UPTIME_PATHS,
  now: Date = new Date(),
): Promise<string> {
  const [uptime, loadavg] = await Promise.all([
    readFile(paths.uptime, 'utf8'),
    readFile(paths.loadavg, 'utf8'),
  ]);
  const utmp = await readFile(paths.utmp).catch(() => Buffer.alloc(0));
  const [l1, l5, l15] = loadavg.trim().split(/\s+/).map(Number);
  return uptimeText({
    now,
    upSeconds: Number(uptime.trim().split(/\s+/)[0]),
    users: countUtmpUsers(utmp),
    load: [l1 ?? 0, l5 ?? 0, l15 ?? 0],
  });
}
