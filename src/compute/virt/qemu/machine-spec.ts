/**
 * The typed description of one QEMU machine, from which the command line is rendered and which
 * is stored in the run directory so a restarted agent knows what it is re-attaching to.
 */
import { BadRequestError } from '../../../common/errors.js';

/** The accelerator QEMU runs with; `auto` is resolved (KVM if /dev/kvm opens) before start. */
export type Accelerator = 'kvm' | 'tcg';

/** Machine types the layer renders; the CD-ROM bus default depends on it. */
export type MachineType = 'pc' | 'q35';

/** Image formats, always given explicitly: QEMU never probes a format here. */
export type ImageFormat = 'qcow2' | 'raw';

/** Bus of the config drive CD-ROM. */
export type CdromBus = 'ide' | 'sata' | 'scsi';

/** One virtio disk (an instance's qcow2 overlay, usually). */
export interface DiskSpec {
  path: string;
  format: ImageFormat;
  readOnly?: boolean;
  /** QEMU cache mode; `none` (O_DIRECT) is what shared-storage live migration wants. */
  cache?: 'none' | 'writeback' | 'writethrough' | 'directsync' | 'unsafe';
}

/** The config drive, an ISO9660 image attached as a read-only CD-ROM. */
export interface ConfigDriveSpec {
  path: string;
  /**
   * Default: `ide` on pc, `scsi` (virtio-scsi) on q35. Nova puts it on SATA on q35, but Debian's
   * cloud kernel has no AHCI driver, so SATA is only for guests known to have one.
   */
  bus?: CdromBus;
}

/** Direct kernel boot instead of booting the first disk through the firmware. */
export interface KernelBootSpec {
  kernel: string;
  initrd?: string;
  cmdline?: string;
}

/** Everything needed to start (or re-create on a migration target) one machine. */
export interface MachineSpec {
  name: string;
  uuid: string;
  vcpus: number;
  memoryMiB: number;
  machineType: MachineType;
  accelerator: Accelerator;
  disks: DiskSpec[];
  configDrive?: ConfigDriveSpec;
  kernelBoot?: KernelBootSpec;
  /** VNC server on the run directory's unix socket (default true). */
  vnc?: boolean;
  /** Start as a migration target: `-incoming defer`, then `migrate-incoming` over QMP. */
  incoming?: boolean;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Throws BadRequestError (code `qemu.invalid_spec`) unless `spec` can be rendered safely. */
export function validateMachineSpec(spec: MachineSpec): void {
  const bad = (msg: string): never => {
    throw new BadRequestError(`invalid machine spec: ${msg}`, { code: 'qemu.invalid_spec' });
  };
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(spec.name)) {
    bad(`name ${JSON.stringify(spec.name)} must be 1-63 chars of [A-Za-z0-9._-]`);
  }
  if (!UUID_RE.test(spec.uuid)) bad(`uuid ${JSON.stringify(spec.uuid)} is not a UUID`);
  if (!Number.isInteger(spec.vcpus) || spec.vcpus < 1 || spec.vcpus > 255)
    bad('vcpus must be 1-255');
  if (!Number.isInteger(spec.memoryMiB) || spec.memoryMiB < 16) bad('memoryMiB must be >= 16');
  if (spec.machineType !== 'pc' && spec.machineType !== 'q35') bad('machineType must be pc or q35');
  if (spec.accelerator !== 'kvm' && spec.accelerator !== 'tcg')
    bad('accelerator must be kvm or tcg');
  const paths = [
    ...spec.disks.map((d) => d.path),
    ...(spec.configDrive ? [spec.configDrive.path] : []),
    ...(spec.kernelBoot ? [spec.kernelBoot.kernel] : []),
    ...(spec.kernelBoot?.initrd ? [spec.kernelBoot.initrd] : []),
  ];
  for (const p of paths) checkPath(p, bad);
  for (const d of spec.disks) {
    if (d.format !== 'qcow2' && d.format !== 'raw') bad(`disk ${d.path}: format must be explicit`);
  }
  if (spec.configDrive?.bus === 'ide' && spec.machineType === 'q35') {
    bad('q35 has no IDE bus; use sata or scsi for the config drive');
  }
  if (spec.configDrive?.bus === 'sata' && spec.machineType === 'pc') {
    bad('pc has no SATA controller; use ide or scsi for the config drive');
  }
  if (spec.kernelBoot?.cmdline !== undefined && /[\0\n]/.test(spec.kernelBoot.cmdline)) {
    bad('kernel command line must be one line');
  }
}

/** Rejects relative paths and control characters, which no argv or QEMU option should carry. */
function checkPath(p: string, bad: (msg: string) => never): void {
  if (!p.startsWith('/')) bad(`path ${JSON.stringify(p)} must be absolute`);
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f]/.test(p)) bad(`path ${JSON.stringify(p)} contains control characters`);
}
