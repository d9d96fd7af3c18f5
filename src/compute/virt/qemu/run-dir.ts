/**
 * The per-instance run directory: every file a running machine needs or leaves behind lives
 * here, so a restarted agent can find, verify and re-attach to its machines from disk alone.
 */
import { join } from 'node:path';
import { BadRequestError } from '../../../common/errors.js';

/** Paths inside one machine's run directory. */
export interface RunDirLayout {
  dir: string;
  /** Decimal pid of the QEMU process, written right after spawn. */
  pidFile: string;
  /** The MachineSpec the process was started with, as JSON. */
  specFile: string;
  qmpSocket: string;
  consoleSocket: string;
  /** The serial console as QEMU logs it; rotated by ConsoleLog. */
  consoleLog: string;
  vncSocket: string;
  /** QEMU's own stdout/stderr (warnings, "terminating on signal"), kept apart from the console. */
  qemuLog: string;
}

/** sun_path is 108 bytes on Linux including the NUL; longer socket paths fail only at bind. */
const MAX_SOCKET_PATH = 107;

/** Lays out the run directory `dir`; throws if a socket path would be too long to bind. */
export function runDirLayout(dir: string): RunDirLayout {
  const layout: RunDirLayout = {
    dir,
    pidFile: join(dir, 'qemu.pid'),
    specFile: join(dir, 'spec.json'),
    qmpSocket: join(dir, 'qmp.sock'),
    consoleSocket: join(dir, 'console.sock'),
    consoleLog: join(dir, 'console.log'),
    vncSocket: join(dir, 'vnc.sock'),
    qemuLog: join(dir, 'qemu.log'),
  };
  for (const s of [layout.qmpSocket, layout.consoleSocket, layout.vncSocket]) {
    if (Buffer.byteLength(s) > MAX_SOCKET_PATH) {
      throw new BadRequestError(`unix socket path too long (max ${MAX_SOCKET_PATH} bytes): ${s}`, {
        code: 'qemu.run_dir_too_long',
      });
    }
  }
  return layout;
}
