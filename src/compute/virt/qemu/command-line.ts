/**
 * Renders a MachineSpec to QEMU's argv (passed to spawn as an array, never through a shell).
 * Every device is explicit (`-nodefaults -no-user-config`), every image format is given, and the
 * only listeners are unix sockets in the run directory; a migration target listens on loopback
 * TCP only once told to over QMP (`-incoming defer`).
 */
import type { MachineSpec } from './machine-spec.js';
import { validateMachineSpec } from './machine-spec.js';
import type { RunDirLayout } from './run-dir.js';

/** QemuOpts values separate keys with commas; a literal comma is written as two. */
export function escapeOptValue(value: string): string {
  return value.replaceAll(',', ',,');
}

/** Builds the argv (without the binary) that starts `spec` with the sockets of `paths`. */
export function buildQemuArgv(spec: MachineSpec, paths: RunDirLayout): string[] {
  validateMachineSpec(spec);
  const e = escapeOptValue;
  const argv: string[] = [
    '-name',
    `guest=${e(spec.name)},debug-threads=on`,
    '-uuid',
    spec.uuid,
    '-no-user-config',
    '-nodefaults',
    // libvirt's default seccomp policy: no obsolete syscalls, setuid, fork/exec or affinity games.
    '-sandbox',
    'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny',
    '-machine',
    `${spec.machineType},accel=${spec.accelerator}`,
    ...(spec.accelerator === 'kvm' ? ['-cpu', 'host'] : []),
    '-m',
    `${spec.memoryMiB}M`,
    '-smp',
    String(spec.vcpus),
    '-rtc',
    'base=utc',
    '-boot',
    'strict=on',
    '-msg',
    'timestamp=on',
    '-display',
    'none',
  ];

  if (spec.kernelBoot) {
    argv.push('-kernel', spec.kernelBoot.kernel);
    if (spec.kernelBoot.initrd) argv.push('-initrd', spec.kernelBoot.initrd);
    if (spec.kernelBoot.cmdline !== undefined) argv.push('-append', spec.kernelBoot.cmdline);
  }

  spec.disks.forEach((d, i) => {
    const drive = [
      `file=${e(d.path)}`,
      `format=${d.format}`,
      'if=none',
      `id=drive-disk${i}`,
      `cache=${d.cache ?? 'writeback'}`,
      'discard=unmap',
      ...(d.readOnly ? ['readonly=on'] : []),
    ];
    argv.push('-drive', drive.join(','));
    const boot = !spec.kernelBoot && i === 0 ? ',bootindex=1' : '';
    argv.push('-device', `virtio-blk-pci,drive=drive-disk${i},id=disk${i}${boot}`);
  });

  if (spec.configDrive) {
    const bus = spec.configDrive.bus ?? (spec.machineType === 'pc' ? 'ide' : 'scsi');
    argv.push(
      '-drive',
      `file=${e(spec.configDrive.path)},format=raw,if=none,id=drive-config,media=cdrom,readonly=on`,
    );
    if (bus === 'scsi') {
      argv.push('-device', 'virtio-scsi-pci,id=scsi0');
      argv.push('-device', 'scsi-cd,drive=drive-config,id=config,bus=scsi0.0');
    } else {
      // pc: the PIIX IDE controller; q35: the built-in AHCI (ide-cd sits on its buses).
      argv.push('-device', 'ide-cd,drive=drive-config,id=config');
    }
  }

  // The chardev keeps the whole console in the log file even when nobody is connected.
  argv.push(
    '-chardev',
    `socket,id=serial0,path=${e(paths.consoleSocket)},server=on,wait=off,` +
      `logfile=${e(paths.consoleLog)},logappend=on`,
    '-serial',
    'chardev:serial0',
    '-chardev',
    `socket,id=qmp,path=${e(paths.qmpSocket)},server=on,wait=off`,
    '-mon',
    'chardev=qmp,mode=control',
  );

  if (spec.vnc ?? true) {
    // -nodefaults removes the VGA card; without one VNC shows nothing.
    argv.push('-device', 'VGA', '-vnc', `unix:${e(paths.vncSocket)}`);
  }

  if (spec.incoming) argv.push('-incoming', 'defer');
  return argv;
}
