// The format inspectors against real images made by qemu-img, fed in chunks of several sizes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { FormatDetector, InvalidImageDataError, judgeFormat } from './format-detector.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'stratus-format-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function qemuImg(...args: string[]): Promise<string> {
  await run('qemu-img', args);
  return args[args.length - 2]!;
}

function detect(data: Buffer, chunk: number): FormatDetector {
  const d = new FormatDetector();
  for (let i = 0; i < data.length; i += chunk) d.eat(data.subarray(i, i + chunk));
  d.finish();
  return d;
}

function verdict(file: string, diskFormat: string, chunk = 65536) {
  return judgeFormat(detect(readFileSync(file), chunk), diskFormat, true);
}

function rejection(file: string, diskFormat: string, chunk = 65536): string {
  try {
    verdict(file, diskFormat, chunk);
  } catch (err) {
    assert.ok(err instanceof InvalidImageDataError, String(err));
    return err.reason;
  }
  assert.fail(`${file} as ${diskFormat} was accepted`);
}

const MiB = 1024 * 1024;

describe('format inspection', () => {
  const f: Record<string, string> = {};
  before(async () => {
    f.raw = join(dir, 'disk.raw');
    writeFileSync(f.raw, Buffer.alloc(MiB, 7));
    f.qcow2 = await qemuImg('create', '-q', '-f', 'qcow2', join(dir, 'disk.qcow2'), '10M');
    f.backed = await qemuImg(
      'create',
      '-q',
      '-f',
      'qcow2',
      '-F',
      'raw',
      '-b',
      f.raw,
      join(dir, 'backed.qcow2'),
      '10M',
    );
    f.datafile = await qemuImg(
      'create',
      '-q',
      '-f',
      'qcow2',
      '-o',
      `data_file=${join(dir, 'external.raw')}`,
      join(dir, 'datafile.qcow2'),
      '1M',
    );
    f.vmdk = await qemuImg('create', '-q', '-f', 'vmdk', join(dir, 'x.vmdk'), '10M');
    f.stream = await qemuImg(
      'create',
      '-q',
      '-f',
      'vmdk',
      '-o',
      'subformat=streamOptimized',
      join(dir, 'stream.vmdk'),
      '10M',
    );
    f.vhd = await qemuImg('create', '-q', '-f', 'vpc', join(dir, 'disk.vhd'), '10M');
    f.vhdx = await qemuImg('create', '-q', '-f', 'vhdx', join(dir, 'disk.vhdx'), '10M');
    f.vdi = await qemuImg('create', '-q', '-f', 'vdi', join(dir, 'disk.vdi'), '10M');
    f.qed = await qemuImg('create', '-q', '-f', 'qed', join(dir, 'disk.qed'), '10M');
    // A sparse VMDK whose extent names a host path: same length as "x.vmdk", so the
    // NUL-padded descriptor keeps its layout.
    const evil = readFileSync(f.vmdk);
    const at = evil.indexOf('"x.vmdk"');
    assert.ok(at > 0);
    evil.write('"/etc/p"', at, 'latin1');
    f.evil = join(dir, 'evil.vmdk');
    writeFileSync(f.evil, evil);
  });

  for (const chunk of [65536, 4096, 777]) {
    it(`accepts each format as itself, with its virtual size (chunks of ${chunk})`, () => {
      assert.deepEqual(verdict(f.qcow2!, 'qcow2', chunk), {
        detected: 'qcow2',
        virtualSize: 10 * MiB,
      });
      assert.deepEqual(verdict(f.vmdk!, 'vmdk', chunk), {
        detected: 'vmdk',
        virtualSize: 10 * MiB,
      });
      assert.equal(verdict(f.stream!, 'vmdk', chunk).detected, 'vmdk');
      assert.equal(verdict(f.vhd!, 'vhd', chunk).detected, 'vhd');
      assert.deepEqual(verdict(f.vhdx!, 'vhdx', chunk), {
        detected: 'vhdx',
        virtualSize: 10 * MiB,
      });
      assert.deepEqual(verdict(f.vdi!, 'vdi', chunk), { detected: 'vdi', virtualSize: 10 * MiB });
      assert.deepEqual(verdict(f.raw!, 'raw', chunk), { detected: 'raw', virtualSize: MiB });
    });
  }

  it('refuses a qcow2 with a backing file, naming the check', () => {
    assert.match(
      rejection(f.backed!, 'qcow2'),
      /safety checks.*backing_file: Image has a backing file/,
    );
    // Claiming raw does not help: the detected format's checks still run.
    assert.match(rejection(f.backed!, 'raw'), /backing_file/);
  });

  it('refuses a qcow2 with an external data file', () => {
    assert.match(rejection(f.datafile!, 'qcow2'), /data_file: Image has data_file set/);
  });

  it('refuses a vmdk whose extent points at a host path', () => {
    assert.match(rejection(f.evil!, 'vmdk'), /descriptor: Invalid extent filenames found/);
  });

  it('refuses content that does not match its disk_format', () => {
    assert.equal(
      rejection(f.raw!, 'qcow2'),
      'Image disk_format qcow2 does not match stream data raw',
    );
    assert.equal(
      rejection(f.qcow2!, 'vmdk'),
      'Image disk_format vmdk does not match stream data qcow2',
    );
  });

  it('refuses QED outright and tolerates unrecognised data for uninspectable formats', () => {
    assert.match(rejection(f.qed!, 'qed'), /banned: This file format is not allowed/);
    assert.deepEqual(verdict(f.raw!, 'ami'), { detected: 'raw', virtualSize: null });
  });

  it('refuses a truncated qcow2 header and tolerates a mismatch when matching is not required', () => {
    const d = detect(readFileSync(f.qcow2!).subarray(0, 100), 50);
    assert.throws(() => judgeFormat(d, 'qcow2', true), InvalidImageDataError);
    assert.deepEqual(judgeFormat(detect(readFileSync(f.raw!), 4096), 'qcow2', false), {
      detected: 'raw',
      virtualSize: null,
    });
  });
});
