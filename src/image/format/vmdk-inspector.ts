import { CaptureRegion, EndCaptureRegion } from './capture-region.js';
import { FormatInspector, ImageFormatError, SafetyViolation } from './format-inspector.js';

/** QEMU reads the embedded descriptor from sector 1, at most 1 MiB - 1 of it. */
const DESC_OFFSET = 0x200;
const DESC_MAX_SIZE = (1 << 20) - 1;
/** A grain directory offset meaning "see the footer" (streamOptimized). */
const GD_AT_END = 0xffffffffffffffffn;
/** Bytes of a "hosted sparse extent" header that hold the fields read here. */
const MIN_SPARSE_HEADER = 64;
const MARKER_EOS = 0;
const MARKER_FOOTER = 3;
const SAFE_TYPES = new Set(['monolithicsparse', 'streamoptimized']);
const EXTENT_ACCESS = new Set(['rw', 'rdonly', 'noaccess']);

interface SparseHeader {
  signature: string;
  version: number;
  descSector: bigint;
  descSectors: bigint;
  gdOffset: bigint;
}

function parseSparseHeader(data: Buffer, at = 0): SparseHeader {
  return {
    signature: data.subarray(at, at + 4).toString('latin1'),
    version: data.readUInt32LE(at + 4),
    descSector: data.readBigUInt64LE(at + 28),
    descSectors: data.readBigUInt64LE(at + 36),
    gdOffset: data.readBigUInt64LE(at + 56),
  };
}

function isText(data: Buffer): boolean {
  for (const byte of data) {
    const printable = byte >= 0x20 && byte < 0x7f;
    // Python's str.isspace, which upstream uses: \t \n \v \f \r and the separators 0x1c-0x1f.
    const space = (byte >= 0x09 && byte <= 0x0d) || (byte >= 0x1c && byte <= 0x1f);
    if (!printable && !space) return false;
  }
  return true;
}

/**
 * VMware VMDK, of which only the single-file sparse variants (monolithicSparse and
 * streamOptimized) are accepted: the descriptor text is parsed line by line and every extent
 * must name a file without a path, so that the image cannot make QEMU read another host file.
 * A streamOptimized footer must agree with the header.
 */
export class VmdkInspector extends FormatInspector {
  readonly name = 'vmdk';
  private descText: string | undefined;
  private vmdkType: string | undefined;

  constructor() {
    super();
    this.addRegion('header', new CaptureRegion(0, 512, MIN_SPARSE_HEADER));
    // Text-only descriptor files start at byte 0; a sparse header moves this region later.
    this.addRegion('descriptor', new CaptureRegion(0, DESC_MAX_SIZE, 4));
    this.addCheck('descriptor', () => this.checkDescriptor());
  }

  get formatMatch(): boolean {
    if (this.hasRegion('header')) {
      return this.region('header').data.subarray(0, 4).toString('latin1') === 'KDMV';
    }
    return this.vmdkType !== undefined && this.vmdkType !== 'formatnotfound';
  }

  override get virtualSize(): number {
    if (!this.descText || !this.vmdkType || !SAFE_TYPES.has(this.vmdkType)) return 0;
    if (!this.hasRegion('header')) return 0;
    return Number(this.region('header').data.readBigUInt64LE(12)) * 512;
  }

  protected override afterChunk(): void {
    if (!this.hasRegion('header') || !this.region('header').complete) return;
    const data = this.region('header').data;
    const h = parseSparseHeader(data);
    if (h.signature !== 'KDMV') {
      // Plain text without the sparse signature may be a descriptor-only VMDK, which QEMU
      // accepts, so it is parsed and checked like any other descriptor.
      if (isText(data)) {
        this.deleteRegion('header');
        return;
      }
      throw new ImageFormatError(`Signature KDMV not found: ${JSON.stringify(h.signature)}`);
    }
    if (h.version < 1 || h.version > 3) {
      throw new ImageFormatError(`Unsupported format version ${h.version}`);
    }
    if (h.gdOffset === GD_AT_END && !this.hasRegion('footer')) {
      // The footer overrides the header; only the end of the stream tells what it says.
      this.addRegion('footer', new EndCaptureRegion(1536));
      this.addCheck('footer', () => this.checkFooter());
    }
    const descOffset = Number(h.descSector) * 512;
    const descSize = Math.min(Number(h.descSectors) * 512, DESC_MAX_SIZE);
    if (descOffset !== DESC_OFFSET) throw new ImageFormatError('Wrong descriptor location');
    if (this.region('descriptor').offset === 0) {
      this.deleteRegion('descriptor');
      this.addRegion('descriptor', new CaptureRegion(descOffset, descSize));
    }
  }

  protected override regionComplete(name: string): void {
    if (name === 'descriptor') this.parseDescriptor();
  }

  private parseDescriptor(): void {
    let data = this.region('descriptor').data;
    // The embedded descriptor is NUL-padded to whole sectors.
    const nul = data.indexOf(0);
    if (nul >= 0) data = data.subarray(0, nul);
    if (data.some((b) => b > 0x7f)) return; // not ASCII: no descriptor
    const text = data.toString('latin1').toLowerCase();
    const key = 'createtype="';
    const at = text.indexOf(key);
    let type = 'formatnotfound';
    if (at >= 0) {
      const start = at + key.length;
      const end = text.indexOf('"', start);
      // A huge value is suspicious and never logged or used.
      if (end >= 0 && end - start < 64) type = text.slice(start, end);
    }
    this.descText = text;
    this.vmdkType = type;
  }

  private checkDescriptor(): void {
    if (!this.descText) throw new SafetyViolation('No descriptor found');
    if (!this.vmdkType || !SAFE_TYPES.has(this.vmdkType)) {
      throw new SafetyViolation('Unsupported subformat');
    }
    const extents: string[] = [];
    for (const raw of this.descText.split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith('ddb')) continue;
      const eq = line.indexOf('=');
      if (eq >= 0 && !line.slice(0, eq).includes(' ')) continue; // a header field
      if (EXTENT_ACCESS.has(line.split(' ')[0]!)) {
        extents.push(line);
        continue;
      }
      throw new SafetyViolation('Invalid VMDK descriptor data');
    }
    if (extents.some((e) => e.includes('/'))) {
      throw new SafetyViolation('Invalid extent filenames found');
    }
    if (extents.length === 0) throw new SafetyViolation('No extents found');
  }

  private checkFooter(): void {
    const h = parseSparseHeader(this.region('header').data);
    const footerRegion = this.region('footer').data;
    const f = parseSparseHeader(footerRegion, 512);
    if (h.signature !== f.signature) {
      throw new SafetyViolation('Header and footer signature do not match');
    }
    if (h.version !== f.version)
      throw new SafetyViolation('Header and footer versions do not match');
    if (h.descSector !== f.descSector || h.descSectors !== f.descSectors) {
      throw new SafetyViolation('Footer specifies a different descriptor than header');
    }
    if (f.gdOffset === GD_AT_END) throw new SafetyViolation('Footer indicates another footer');
    const marker = (at: number) => ({
      value: footerRegion.readBigUInt64LE(at),
      size: footerRegion.readUInt32LE(at + 8),
      type: footerRegion.readUInt32LE(at + 12),
      padded: footerRegion.subarray(at + 16, at + 512).every((b) => b === 0),
    });
    const footerMarker = marker(0);
    if (footerMarker.size !== 0 || footerMarker.type !== MARKER_FOOTER || !footerMarker.padded) {
      throw new SafetyViolation('Footer marker is invalid');
    }
    const eos = marker(1024);
    if (eos.value !== 0n || eos.size !== 0 || eos.type !== MARKER_EOS || !eos.padded) {
      throw new SafetyViolation('End-of-stream marker is invalid');
    }
  }
}
