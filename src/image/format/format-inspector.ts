import { CaptureRegion, EndCaptureRegion } from './capture-region.js';

/** The stream cannot be parsed as (or checked for) a format: fatal for that inspection. */
export class ImageFormatError extends Error {}

/** One named safety check failed; the message says why. */
export class SafetyViolation extends Error {}

/** One or more safety checks failed: `failures` maps check name to reason. */
export class SafetyCheckFailed extends Error {
  constructor(readonly failures: Readonly<Record<string, string>>) {
    super(`Safety checks failed: ${Object.keys(failures).join(',')}`);
  }
}

/** A named check run on a fully inspected image; it throws SafetyViolation when unsafe. */
export interface SafetyCheck {
  name: string;
  run(): void;
}

/**
 * A streaming disk-image inspector, in the manner of oslo.utils' format_inspector: it is shown
 * the image one chunk at a time, keeps only the byte regions its format needs, and then answers
 * whether the content is of its format, the virtual size, and whether the image is safe to hand
 * to QEMU (no backing file, no external data file, no extents outside the image, ...).
 */
export abstract class FormatInspector {
  /** The format's name as qemu-img and Glance's disk_format say it. */
  abstract readonly name: string;

  private readonly regions = new Map<string, CaptureRegion>();
  private readonly checks = new Map<string, SafetyCheck>();
  private position = 0;
  private finished = false;

  /** Bytes seen so far. */
  get bytesSeen(): number {
    return this.position;
  }

  /** True when the content looks like this format. */
  abstract get formatMatch(): boolean;

  /** The disk's virtual size in bytes, or 0 when unknown. */
  get virtualSize(): number {
    return this.position;
  }

  /** True when every region the format needs has been captured. */
  get complete(): boolean {
    for (const r of this.regions.values()) if (!r.complete) return false;
    return true;
  }

  /** Presents the next chunk of the stream. */
  eat(chunk: Buffer): void {
    if (this.finished) throw new Error('inspector already finished');
    const start = this.position;
    this.position += chunk.length;
    const before = new Set(this.regions.values());
    const completeBefore = new Set([...before].filter((r) => r.complete));
    for (const r of before)
      if (r instanceof EndCaptureRegion || !r.complete) r.capture(chunk, start);
    this.afterChunk();
    // Regions added by afterChunk may start inside this very chunk.
    for (const r of this.regions.values()) if (!before.has(r)) r.capture(chunk, start);
    for (const [name, r] of this.regions) {
      if (r.complete && !completeBefore.has(r)) this.regionComplete(name);
    }
  }

  /** Marks the end of the stream (end regions become complete). */
  finish(): void {
    this.finished = true;
    for (const r of this.regions.values()) if (r instanceof EndCaptureRegion) r.finish();
  }

  /**
   * Runs every safety check. Throws ImageFormatError when the image cannot be checked
   * (incomplete or not this format) and SafetyCheckFailed naming each failed check.
   */
  safetyCheck(): void {
    if (!this.complete) throw new ImageFormatError('Incomplete file cannot be safety checked');
    if (!this.formatMatch) {
      throw new ImageFormatError(
        `Unable to safety check format ${this.name} because content does not match`,
      );
    }
    const failures: Record<string, string> = {};
    for (const check of this.checks.values()) {
      try {
        check.run();
      } catch (err) {
        if (err instanceof SafetyCheckFailed) {
          for (const [k, v] of Object.entries(err.failures)) failures[`inner_${k}`] = v;
        } else {
          failures[check.name] = err instanceof SafetyViolation ? err.message : 'Unexpected error';
        }
      }
    }
    if (Object.keys(failures).length > 0) throw new SafetyCheckFailed(failures);
  }

  /** Called after each chunk is captured, to add regions whose place the data just revealed. */
  protected afterChunk(): void {}

  /** Called once when a region has all its bytes. */
  protected regionComplete(_name: string): void {}

  /** Adds a region to capture; adding one twice is a bug in the inspector. */
  protected addRegion(name: string, region: CaptureRegion): void {
    if (this.regions.has(name)) throw new ImageFormatError(`Inspector re-added region ${name}`);
    this.regions.set(name, region);
  }

  /** The region by name (it must exist). */
  protected region(name: string): CaptureRegion {
    const r = this.regions.get(name);
    if (!r) throw new ImageFormatError(`no region ${name}`);
    return r;
  }

  /** True when the region exists. */
  protected hasRegion(name: string): boolean {
    return this.regions.has(name);
  }

  /** Forgets a region. */
  protected deleteRegion(name: string): void {
    this.regions.delete(name);
  }

  /** Registers a safety check. */
  protected addCheck(name: string, run: () => void): void {
    this.checks.set(name, { name, run });
  }

  /** A check for formats with nothing to check. */
  protected addNullCheck(): void {
    this.addCheck('null', () => undefined);
  }

  /** A check that always fails: formats that are recognised but never allowed. */
  protected addBannedCheck(): void {
    this.addCheck('banned', () => {
      throw new SafetyViolation('This file format is not allowed');
    });
  }
}
