/**
 * Linux /proc checks that a pid still belongs to the QEMU of one instance. Pids are recycled, so
 * a pid file alone proves nothing after the agent restarts: the process must be a qemu-system
 * binary whose argv carries the instance uuid and its run directory's QMP socket.
 */
import { readFile, readlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { escapeOptValue } from './command-line.js';

/** Liveness of a pid as /proc shows it; a zombie has exited but is not reaped yet. */
export type ProcessState = 'alive' | 'zombie' | 'gone';

/** Reads the state letter of /proc/<pid>/stat. */
export async function processState(pid: number): Promise<ProcessState> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return 'gone';
  // "pid (comm) S ...": comm may contain spaces and parentheses, so split at the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X' ? 'zombie' : 'alive';
}

/** What a pid must show to count as the QEMU of an instance. */
export interface QemuIdentity {
  uuid: string;
  /** A path that only this instance's argv contains (its QMP socket). */
  qmpSocket: string;
}

/** Why a pid is not the expected QEMU, or undefined when it is. */
export async function qemuIdentityMismatch(
  pid: number,
  expected: QemuIdentity,
): Promise<string | undefined> {
  if (!Number.isInteger(pid) || pid <= 1) return `invalid pid ${pid}`;
  const state = await processState(pid);
  if (state !== 'alive') return `pid ${pid} is ${state}`;
  const [cmdline, exe] = await Promise.all([
    readFile(`/proc/${pid}/cmdline`).catch(() => undefined),
    readlink(`/proc/${pid}/exe`).catch(() => undefined),
  ]);
  if (cmdline === undefined || exe === undefined) return `pid ${pid} vanished`;
  // An upgraded package leaves the running binary as "... (deleted)".
  const exeName = basename(exe.replace(/ \(deleted\)$/, ''));
  if (!exeName.startsWith('qemu-system-')) return `pid ${pid} runs ${exeName}, not qemu-system-*`;
  const argv = cmdline.toString('utf8').split('\0');
  const uuidAt = argv.indexOf('-uuid');
  if (uuidAt < 0 || argv[uuidAt + 1] !== expected.uuid) {
    return `pid ${pid} is a QEMU of another instance`;
  }
  if (!argv.some((a) => a.includes(`path=${escapeOptValue(expected.qmpSocket)},`))) {
    return `pid ${pid} is a QEMU of this instance from another run directory`;
  }
  return undefined;
}
