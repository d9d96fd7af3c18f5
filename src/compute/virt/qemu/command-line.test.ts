import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../../common/errors.js';
import { buildQemuArgv, escapeOptValue } from './command-line.js';
import type { MachineSpec } from './machine-spec.js';
import { runDirLayout } from './run-dir.js';
import { resolveAccelerator } from './accelerator.js';

const paths = runDirLayout('/run/stratus/7c9e4b8e-0d3a-4c54-9a77-5b0c2f1e3d10');
const base: MachineSpec = {
  name: 'vm-1',
  uuid: '7c9e4b8e-0d3a-4c54-9a77-5b0c2f1e3d10',
  vcpus: 2,
  memoryMiB: 256,
  machineType: 'q35',
  accelerator: 'tcg',
  disks: [{ path: '/var/lib/stratus/instances/x/disk', format: 'qcow2' }],
};

/** Value following the n-th occurrence of `flag`. */
function values(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (a === flag ? [argv[i + 1]!] : []));
}

test('the basics: no defaults, no user config, identity, size, accelerator', () => {
  const argv = buildQemuArgv(base, paths);
  assert.ok(argv.includes('-nodefaults'));
  assert.ok(argv.includes('-no-user-config'));
  assert.deepEqual(values(argv, '-uuid'), [base.uuid]);
  assert.deepEqual(values(argv, '-name'), ['guest=vm-1,debug-threads=on']);
  assert.deepEqual(values(argv, '-machine'), ['q35,accel=tcg']);
  assert.deepEqual(values(argv, '-m'), ['256M']);
  assert.deepEqual(values(argv, '-smp'), ['2']);
  assert.deepEqual(values(argv, '-cpu'), []);
  const kvm = buildQemuArgv({ ...base, accelerator: 'kvm' }, paths);
  assert.deepEqual(values(kvm, '-machine'), ['q35,accel=kvm']);
  assert.deepEqual(values(kvm, '-cpu'), ['host']);
});

test('disks are virtio with an explicit format; the first boots unless a kernel is given', () => {
  const argv = buildQemuArgv(base, paths);
  assert.deepEqual(values(argv, '-drive'), [
    'file=/var/lib/stratus/instances/x/disk,format=qcow2,if=none,id=drive-disk0,cache=writeback,discard=unmap',
  ]);
  assert.deepEqual(values(argv, '-device').slice(0, 1), [
    'virtio-blk-pci,drive=drive-disk0,id=disk0,bootindex=1',
  ]);
  const direct = buildQemuArgv(
    {
      ...base,
      kernelBoot: { kernel: '/k/vmlinuz', initrd: '/k/initrd.gz', cmdline: 'console=ttyS0 quiet' },
    },
    paths,
  );
  assert.deepEqual(values(direct, '-kernel'), ['/k/vmlinuz']);
  assert.deepEqual(values(direct, '-initrd'), ['/k/initrd.gz']);
  assert.deepEqual(values(direct, '-append'), ['console=ttyS0 quiet']);
  assert.ok(!values(direct, '-device').some((d) => d.includes('bootindex')));
});

test('the config drive is a CD-ROM on a bus the guest sees: IDE on pc, virtio-scsi on q35', () => {
  const pc = buildQemuArgv({ ...base, machineType: 'pc', configDrive: { path: '/cd.iso' } }, paths);
  assert.ok(
    values(pc, '-drive').includes(
      'file=/cd.iso,format=raw,if=none,id=drive-config,media=cdrom,readonly=on',
    ),
  );
  assert.ok(values(pc, '-device').includes('ide-cd,drive=drive-config,id=config'));
  const q35 = buildQemuArgv({ ...base, configDrive: { path: '/cd.iso' } }, paths);
  assert.ok(values(q35, '-device').includes('virtio-scsi-pci,id=scsi0'));
  assert.ok(values(q35, '-device').includes('scsi-cd,drive=drive-config,id=config,bus=scsi0.0'));
  const sata = buildQemuArgv({ ...base, configDrive: { path: '/cd.iso', bus: 'sata' } }, paths);
  assert.ok(values(sata, '-device').includes('ide-cd,drive=drive-config,id=config'));
  assert.throws(
    () => buildQemuArgv({ ...base, configDrive: { path: '/cd.iso', bus: 'ide' } }, paths),
    BadRequestError,
  );
});

test('console, QMP and VNC are unix sockets in the run dir; nothing listens on TCP', () => {
  const argv = buildQemuArgv({ ...base, incoming: true }, paths);
  assert.deepEqual(values(argv, '-chardev'), [
    `socket,id=serial0,path=${paths.consoleSocket},server=on,wait=off,logfile=${paths.consoleLog},logappend=on`,
    `socket,id=qmp,path=${paths.qmpSocket},server=on,wait=off`,
  ]);
  assert.deepEqual(values(argv, '-serial'), ['chardev:serial0']);
  assert.deepEqual(values(argv, '-mon'), ['chardev=qmp,mode=control']);
  assert.deepEqual(values(argv, '-vnc'), [`unix:${paths.vncSocket}`]);
  assert.deepEqual(values(argv, '-incoming'), ['defer']);
  assert.ok(!argv.some((a) => /tcp|:\d+\b|0\.0\.0\.0|host=/.test(a)), 'no TCP listener in argv');
  const novnc = buildQemuArgv({ ...base, vnc: false }, paths);
  assert.deepEqual(values(novnc, '-vnc'), []);
  assert.ok(!novnc.includes('VGA'));
});

test('commas in paths are doubled; shell metacharacters stay literal argv', () => {
  assert.equal(escapeOptValue('/a,b,,c'), '/a,,b,,,,c');
  const argv = buildQemuArgv(
    { ...base, disks: [{ path: '/x/$(rm -rf)/a,b; echo', format: 'raw' }] },
    paths,
  );
  assert.ok(values(argv, '-drive')[0]!.startsWith('file=/x/$(rm -rf)/a,,b; echo,format=raw,'));
});

test('invalid specs are refused before rendering', () => {
  const bad: Partial<MachineSpec>[] = [
    { name: 'a,b' },
    { name: '' },
    { uuid: 'nope' },
    { vcpus: 0 },
    { memoryMiB: 1.5 },
    { disks: [{ path: 'relative.qcow2', format: 'qcow2' }] },
    { disks: [{ path: '/a\nb', format: 'qcow2' }] },
    { disks: [{ path: '/a', format: 'vmdk' as 'raw' }] },
    { kernelBoot: { kernel: '/k', cmdline: 'a\nb' } },
  ];
  for (const b of bad) {
    assert.throws(
      () => buildQemuArgv({ ...base, ...b }, paths),
      BadRequestError,
      JSON.stringify(b),
    );
  }
});

test('socket paths longer than sun_path are refused up front', () => {
  assert.throws(() => runDirLayout(`/tmp/${'x'.repeat(120)}`), /too long/);
});

test('auto accelerator: KVM only when the device opens', async () => {
  assert.equal(await resolveAccelerator('auto', '/nonexistent/kvm'), 'tcg');
  assert.equal(await resolveAccelerator('tcg', '/dev/null'), 'tcg');
  assert.equal(await resolveAccelerator('auto', '/dev/null'), 'kvm');
});
