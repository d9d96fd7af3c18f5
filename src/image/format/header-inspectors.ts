import { CaptureRegion } from './capture-region.js';
import { FormatInspector, SafetyViolation } from './format-inspector.js';

/** Raw: no structure, so it always matches; its virtual size is its length. */
export class RawInspector extends FormatInspector {
  readonly name = 'raw';

  constructor() {
    super();
    this.addNullCheck();
  }

  get formatMatch(): boolean {
    return true;
  }
}

/** QED: recognised so that it can be refused (no one supports it safely). */
export class QedInspector extends FormatInspector {
  readonly name = 'qed';

  constructor() {
    super();
    this.addRegion('header', new CaptureRegion(0, 512));
    this.addBannedCheck();
  }

  get formatMatch(): boolean {
    const r = this.region('header');
    return r.complete && r.data.subarray(0, 4).equals(Buffer.from('QED\0', 'latin1'));
  }
}

/** Microsoft VHD (QEMU's vpc): a 512-byte big-endian footer copy at the start. */
export class VhdInspector extends FormatInspector {
  readonly name = 'vhd';

  constructor() {
    super();
    this.addRegion('header', new CaptureRegion(0, 512));
    this.addNullCheck();
  }

  get formatMatch(): boolean {
    return this.region('header').data.subarray(0, 8).toString('latin1') === 'conectix';
  }

  override get virtualSize(): number {
    const r = this.region('header');
    if (!r.complete || !this.formatMatch) return 0;
    return Number(r.data.readBigUInt64BE(40));
  }
}

/** VirtualBox VDI: a 512-byte little-endian header with a signature at 0x40. */
export class VdiInspector extends FormatInspector {
  readonly name = 'vdi';

  constructor() {
    super();
    this.addRegion('header', new CaptureRegion(0, 512));
    this.addNullCheck();
  }

  get formatMatch(): boolean {
    const r = this.region('header');
    return r.complete && r.data.readUInt32LE(0x40) === 0xbeda107f;
  }

  override get virtualSize(): number {
    if (!this.formatMatch) return 0;
    return Number(this.region('header').data.readBigUInt64LE(0x170));
  }
}

const ISO_SIGNATURES = new Set(['CD001', 'NSR02', 'NSR03']);

/** ISO 9660 and UDF: a volume descriptor after the 32 KiB system area. */
export class IsoInspector extends FormatInspector {
  readonly name = 'iso';

  constructor() {
    super();
    this.addRegion('system_area', new CaptureRegion(0, 32 * 1024));
    this.addRegion('header', new CaptureRegion(32 * 1024, 2 * 1024));
    this.addNullCheck();
  }

  get formatMatch(): boolean {
    if (!this.complete) return false;
    return ISO_SIGNATURES.has(this.region('header').data.subarray(1, 6).toString('latin1'));
  }

  override get virtualSize(): number {
    if (!this.formatMatch) return 0;
    const h = this.region('header').data;
    // Only a primary volume descriptor (type 1) states the volume size.
    if (h[0] !== 1) return 0;
    return h.readUInt32LE(80) * h.readUInt16LE(128);
  }
}

/** GPT and legacy MBR disks, told apart from FAT boot sectors; the partition table is checked. */
export class GptInspector extends FormatInspector {
  readonly name = 'gpt';

  constructor() {
    super();
    this.addRegion('mbr', new CaptureRegion(0, 512));
    this.addCheck('mbr', () => this.checkPartitions());
  }

  get formatMatch(): boolean {
    const r = this.region('mbr');
    if (!r.complete) return false;
    const mbr = r.data;
    // A FAT volume boot record carries the same signature; two FATs on a fixed disk give it away.
    const isFat = mbr[0x10] === 2 && mbr[0x15] === 0xf8;
    return mbr.readUInt16LE(510) === 0xaa55 && !isFat;
  }

  private checkPartitions(): void {
    const mbr = this.region('mbr').data;
    const valid: number[] = [];
    let foundGpt = false;
    for (let i = 0; i < 4; i++) {
      const pte = mbr.subarray(446 + 16 * i, 446 + 16 * (i + 1));
      const boot = pte[0]!;
      const osType = pte[4]!;
      if (boot !== 0x00 && boot !== 0x80) {
        throw new SafetyViolation(`MBR PTE ${i} has invalid boot flag`);
      }
      if (osType !== 0) valid.push(i);
      if (osType === 0xee) {
        foundGpt = true;
        if (pte[1] !== 0x00 || pte[2] !== 0x02 || pte[3] !== 0x00) {
          throw new SafetyViolation('GPT MBR has invalid start CHS');
        }
        if (pte.readUInt32LE(8) !== 1) throw new SafetyViolation('GPT MBR has invalid start LBA');
      }
    }
    if (foundGpt && (valid.length !== 1 || valid[0] !== 0)) {
      throw new SafetyViolation('GPT MBR defines invalid extra partitions');
    }
    if (valid.length === 0) throw new SafetyViolation('GPT MBR has no partitions defined');
  }
}

const LUKS_MAGIC = Buffer.from([0x4c, 0x55, 0x4b, 0x53, 0xba, 0xbe]); // "LUKS\xba\xbe"

/**
 * LUKS v1 encrypted volumes: recognised and version-checked. Without a passphrase the wrapped
 * format cannot be inspected, as upstream, so only the container itself is checked.
 */
export class LuksInspector extends FormatInspector {
  readonly name = 'luks';

  constructor() {
    super();
    this.addRegion('header', new CaptureRegion(0, 592));
    this.addCheck('version', () => {
      const version = this.region('header').data.readUInt16BE(6);
      if (version !== 1) throw new SafetyViolation(`LUKS version ${version} is not supported`);
    });
  }

  get formatMatch(): boolean {
    return this.region('header').data.subarray(0, 6).equals(LUKS_MAGIC);
  }

  override get virtualSize(): number {
    const h = this.region('header');
    if (h.data.length < 108) return 0;
    return super.virtualSize - h.data.readUInt32BE(104) * 512;
  }
}
