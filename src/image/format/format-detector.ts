import { FormatInspector, ImageFormatError, SafetyCheckFailed } from './format-inspector.js';
import {
  GptInspector,
  IsoInspector,
  LuksInspector,
  QedInspector,
  RawInspector,
  VdiInspector,
  VhdInspector,
} from './header-inspectors.js';
import { Qcow2Inspector } from './qcow2-inspector.js';
import { VhdxInspector } from './vhdx-inspector.js';
import { VmdkInspector } from './vmdk-inspector.js';

/** Every format the detector knows, in the order it reports them. */
export const INSPECTABLE_FORMATS = [
  'raw',
  'qcow2',
  'vhd',
  'vhdx',
  'vmdk',
  'vdi',
  'qed',
  'iso',
  'gpt',
  'luks',
] as const;

const FACTORIES: Record<(typeof INSPECTABLE_FORMATS)[number], () => FormatInspector> = {
  raw: () => new RawInspector(),
  qcow2: () => new Qcow2Inspector(),
  vhd: () => new VhdInspector(),
  vhdx: () => new VhdxInspector(),
  vmdk: () => new VmdkInspector(),
  vdi: () => new VdiInspector(),
  qed: () => new QedInspector(),
  iso: () => new IsoInspector(),
  gpt: () => new GptInspector(),
  luks: () => new LuksInspector(),
};

/** The upload's content is not acceptable for its disk_format; `reason` says why. */
export class InvalidImageDataError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Runs every inspector over one stream at once. An inspector that cannot parse the data stops
 * being fed (it does not match) but never interrupts the stream, as upstream's InspectWrapper.
 */
export class FormatDetector {
  private readonly inspectors = INSPECTABLE_FORMATS.map((f) => ({
    inspector: FACTORIES[f](),
    errored: false,
  }));
  private total = 0;

  /** Bytes seen. */
  get bytesSeen(): number {
    return this.total;
  }

  /** Presents the next chunk to every inspector still parsing. */
  eat(chunk: Buffer): void {
    this.total += chunk.length;
    for (const entry of this.inspectors) {
      if (entry.errored) continue;
      try {
        entry.inspector.eat(chunk);
      } catch {
        entry.errored = true;
      }
    }
  }

  /** Marks the end of the stream. */
  finish(): void {
    for (const { inspector } of this.inspectors) inspector.finish();
  }

  /**
   * The formats the content matched (after finish): every specific format that matched, or
   * just raw when none did. More than one is suspicious (one header hidden in another).
   */
  matches(): FormatInspector[] {
    const specific = this.inspectors
      .map((e) => e.inspector)
      .filter((i) => i.name !== 'raw' && safeMatch(i));
    return specific.length > 0 ? specific : [this.inspectors[0]!.inspector];
  }
}

function safeMatch(i: FormatInspector): boolean {
  try {
    return i.formatMatch;
  } catch {
    return false;
  }
}

/** What the inspection concluded about an acceptable upload. */
export interface FormatVerdict {
  /** The detected format. */
  detected: string;
  /** The virtual size to record, when known. */
  virtualSize: number | null;
}

/**
 * Decides whether the inspected content may be stored as `diskFormat`, as Glance's
 * ImageProxy.set_data does: the detected format must be the claimed one (ISO+GPT counts as
 * ISO; `raw` accepts anything inspectable; formats Glance cannot inspect, such as ami, accept
 * unrecognised data), and the detected format's safety checks must pass. Throws
 * InvalidImageDataError; with `requireMatch` false a mismatch is tolerated but a failed safety
 * check never is.
 */
export function judgeFormat(
  detector: FormatDetector,
  diskFormat: string,
  requireMatch: boolean,
): FormatVerdict {
  let detected = 'raw';
  let inspector: FormatInspector | undefined;
  try {
    const matches = detector.matches();
    const names = matches.map((m) => m.name).sort();
    if (names.length === 2 && names[0] === 'gpt' && names[1] === 'iso') {
      // A bootable ISO may legitimately carry a GPT in front.
      inspector = matches.find((m) => m.name === 'iso')!;
    } else if (matches.length > 1) {
      throw new ImageFormatError(
        `Multiple formats detected: ${matches.map((m) => m.name).join(',')}`,
      );
    } else {
      inspector = matches[0]!;
    }
    detected = inspector.name;
    let virtualSize: number | null = null;
    if (detected === diskFormat) {
      virtualSize = inspector.virtualSize || null;
    } else if (
      detected === 'raw' &&
      !(INSPECTABLE_FORMATS as readonly string[]).includes(diskFormat)
    ) {
      // Formats like ami cannot be inspected: unrecognised data is all that can be said.
    } else if (diskFormat === 'raw') {
      // Claimed raw: QEMU will treat it as raw, so its size is its length.
      virtualSize = detector.bytesSeen;
    } else {
      throw new ImageFormatError(
        `Image disk_format ${diskFormat} does not match stream data ${detected}`,
      );
    }
    inspector.safetyCheck();
    return { detected, virtualSize };
  } catch (err) {
    if (err instanceof SafetyCheckFailed) {
      const why = Object.entries(err.failures)
        .map(([check, reason]) => `${check}: ${reason}`)
        .join('; ');
      throw new InvalidImageDataError(`Image failed safety checks (${why})`);
    }
    if (!requireMatch) return { detected, virtualSize: null };
    if (err instanceof ImageFormatError) throw new InvalidImageDataError(err.message);
    throw new InvalidImageDataError('Image format inspection failed');
  }
}
