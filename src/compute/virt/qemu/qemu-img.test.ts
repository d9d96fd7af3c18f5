import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { qemuSkipReason } from '../../../../test/harness/test-guest.js';
import { QemuImg, QemuImgError, UnsafeImageError } from './qemu-img.js';

const skip = qemuSkipReason();

test(
  'qemu-img: create, overlay, info, resize, convert; unsafe images are refused',
  { skip },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qemu-img-'));
    try {
      const img = new QemuImg();
      const base = join(dir, 'base.qcow2');
      await img.create(base, 'qcow2', 8 * 1024 * 1024);
      const baseInfo = await img.assertSelfContained(base, 'qcow2');
      assert.equal(baseInfo.format, 'qcow2');
      assert.equal(baseInfo.virtualSize, 8 * 1024 * 1024);

      const overlay = join(dir, 'overlay.qcow2');
      await img.createOverlay(overlay, { path: base, format: 'qcow2' }, 16 * 1024 * 1024);
      const ov = await img.info(overlay, 'qcow2');
      assert.equal(ov.backingFile, base);
      assert.equal(ov.backingFormat, 'qcow2');
      assert.equal(ov.virtualSize, 16 * 1024 * 1024);
      await assert.rejects(img.assertSelfContained(overlay, 'qcow2'), UnsafeImageError);

      await img.resize(overlay, 'qcow2', 32 * 1024 * 1024);
      assert.equal((await img.info(overlay, 'qcow2')).virtualSize, 32 * 1024 * 1024);

      const raw = join(dir, 'flat.raw');
      await img.convert({ path: overlay, format: 'qcow2' }, { path: raw, format: 'raw' });
      const rawInfo = await img.assertSelfContained(raw, 'raw');
      assert.equal(rawInfo.format, 'raw');
      assert.equal(rawInfo.virtualSize, 32 * 1024 * 1024);

      // External data file: refused from the header, before qemu-img would open the data file.
      const data = join(dir, 'data.raw');
      await img.create(data, 'raw', 1024 * 1024);
      const ext = join(dir, 'ext.qcow2');
      await promisify(execFile)('qemu-img', [
        'create',
        '-q',
        '-f',
        'qcow2',
        '-o',
        `data_file=${data},data_file_raw=on`,
        ext,
        '1M',
      ]);
      await assert.rejects(img.assertSelfContained(ext, 'qcow2'), /external data file/);

      // A file claimed to be qcow2 that is not, and a wrong format: refused, never probed.
      const junk = join(dir, 'junk');
      writeFileSync(junk, 'not an image');
      await assert.rejects(img.assertSelfContained(junk, 'qcow2'), UnsafeImageError);
      await assert.rejects(img.info(junk, 'qcow2'), QemuImgError);
      // Read as raw, a qcow2 file is just bytes: explicit formats defeat format confusion.
      assert.equal((await img.info(overlay, 'raw')).backingFile, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
