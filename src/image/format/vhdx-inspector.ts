import { CaptureRegion } from './capture-region.js';
import { FormatInspector, ImageFormatError } from './format-inspector.js';

const METAREGION = '8B7CA206-4790-4B9A-B8FE-575F050F886E';
const VIRTUAL_DISK_SIZE = '2FA54224-CD1B-4876-B211-5DBED83BF4B8';
/** The largest metadata table QEMU accepts: a header and 2047 entries of 32 bytes. */
const METADATA_TABLE_MAX = 32 * 2048;
const REGION_SIGNATURE = 0x69676572; // "regi"

/** A Microsoft GUID as text, from its mixed-endian 16 bytes. */
function guid(b: Buffer): string {
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
  const tail = [...b.subarray(8, 16)].map((x) => hex(x, 2));
  return [
    hex(b.readUInt32LE(0), 8),
    hex(b.readUInt16LE(4), 4),
    hex(b.readUInt16LE(6), 4),
    tail.slice(0, 2).join(''),
    tail.slice(2).join(''),
  ].join('-');
}

/**
 * Microsoft VHDX: the region table at 192 KiB points at the metadata region, whose table points
 * at the virtual-disk-size item. Each is captured as the stream reaches it.
 */
export class VhdxInspector extends FormatInspector {
  readonly name = 'vhdx';

  constructor() {
    super();
    this.addRegion('ident', new CaptureRegion(0, 32));
    this.addRegion('header', new CaptureRegion(192 * 1024, 64 * 1024));
    this.addNullCheck();
  }

  get formatMatch(): boolean {
    return this.region('ident').data.subarray(0, 8).toString('latin1') === 'vhdxfile';
  }

  override get virtualSize(): number {
    if (!this.hasRegion('vds') || !this.region('vds').complete) return 0;
    const d = this.region('vds').data;
    return d.length >= 8 ? Number(d.readBigUInt64LE(0)) : 0;
  }

  protected override afterChunk(): void {
    if (this.region('header').complete && !this.hasRegion('metadata')) {
      const r = this.findMetadataRegion();
      if (r) this.addRegion('metadata', r);
    } else if (this.hasRegion('metadata') && !this.hasRegion('vds')) {
      const r = this.findVirtualSizeItem();
      if (r) this.addRegion('vds', r);
    }
  }

  private findMetadataRegion(): CaptureRegion | undefined {
    const table = this.region('header').data;
    if (table.readUInt32LE(0) !== REGION_SIGNATURE) {
      throw new ImageFormatError(
        `Region signature not found at ${this.region('header').offset.toString(16)}`,
      );
    }
    const count = table.readUInt32LE(8);
    if (count >= 2048) throw new ImageFormatError(`Region count is ${count} (limit 2047)`);
    for (let i = 0; i < count; i++) {
      const at = 16 + i * 32;
      if (guid(table.subarray(at, at + 16)) === METAREGION) {
        // Only the table is needed, not the whole (possibly huge) metadata region.
        return new CaptureRegion(Number(table.readBigUInt64LE(at + 16)), METADATA_TABLE_MAX);
      }
    }
    return undefined;
  }

  private findVirtualSizeItem(): CaptureRegion | undefined {
    const meta = this.region('metadata');
    const d = meta.data;
    if (d.length < 32) return undefined;
    const sig = d.subarray(0, 8).toString('latin1');
    if (sig !== 'metadata') {
      throw new ImageFormatError(`Invalid signature for metadata region: ${JSON.stringify(sig)}`);
    }
    const count = d.readUInt16LE(10);
    if (d.length < 32 + count * 32) return undefined;
    if (count >= 2048) throw new ImageFormatError(`Metadata item count is ${count} (limit 2047)`);
    for (let i = 0; i < count; i++) {
      const at = 32 + i * 32;
      if (guid(d.subarray(at, at + 16)) === VIRTUAL_DISK_SIZE) {
        const itemOffset = d.readUInt32LE(at + 16);
        const itemLength = Math.min(d.readUInt32LE(at + 20), METADATA_TABLE_MAX);
        meta.truncate(d.length);
        return new CaptureRegion(meta.offset + itemOffset, itemLength);
      }
    }
    return undefined;
  }
}
