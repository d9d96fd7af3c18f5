import { CaptureRegion } from './capture-region.js';
import { FormatInspector, SafetyViolation } from './format-inspector.js';

const MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]); // "QFI\xfb"
const BACKING_FILE_OFFSET = 8;
const VIRTUAL_SIZE = 24;
const INCOMPATIBLE_FEATURES = 72;
/** Incompatible feature bit 2: the guest data lives in an external data file. */
const DATA_FILE_BIT = 0x04;
/** Bits 0-3 are the incompatible features considered safe; anything higher is refused. */
const KNOWN_FEATURES_MASK = 0x0f;

/**
 * QEMU's qcow2 (and the old qcow v1, refused as unsupported): the big-endian header carries
 * the virtual size, the backing file offset (nonzero means the image reads another file) and,
 * from version 3, the incompatible-features bitfield (bit 2: external data file).
 */
export class Qcow2Inspector extends FormatInspector {
  readonly name = 'qcow2';

  constructor() {
    super();
    this.addRegion('header', new CaptureRegion(0, 512));
    this.addCheck('backing_file', () => {
      if (this.header.readBigUInt64BE(BACKING_FILE_OFFSET) !== 0n) {
        throw new SafetyViolation('Image has a backing file');
      }
    });
    this.addCheck('data_file', () => {
      if ((this.header[INCOMPATIBLE_FEATURES + 7]! & DATA_FILE_BIT) !== 0) {
        throw new SafetyViolation('Image has data_file set');
      }
    });
    this.addCheck('unknown_features', () => {
      const version = this.header.readUInt32BE(4);
      if (version === 2) return; // version 2 has no feature bitfield
      if (version !== 3) throw new SafetyViolation('Unsupported qcow2 version');
      const features = this.header.subarray(INCOMPATIBLE_FEATURES, INCOMPATIBLE_FEATURES + 8);
      for (let i = 0; i < 8; i++) {
        const allowed = i === 7 ? KNOWN_FEATURES_MASK : 0;
        if ((features[i]! & ~allowed) !== 0)
          throw new SafetyViolation('Unknown QCOW2 features found');
      }
    });
  }

  private get header(): Buffer {
    return this.region('header').data;
  }

  get formatMatch(): boolean {
    return this.region('header').complete && this.header.subarray(0, 4).equals(MAGIC);
  }

  override get virtualSize(): number {
    return this.formatMatch ? Number(this.header.readBigUInt64BE(VIRTUAL_SIZE)) : 0;
  }
}
