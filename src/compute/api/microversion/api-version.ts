import { BadRequestError } from '../../../common/errors.js';

/** A compute API microversion `X.Y`; 2.0 stands for the legacy v2 API (served under `/v2`). */
export class ApiVersion {
  constructor(
    readonly major: number,
    readonly minor: number,
  ) {}

  /**
   * Parses `X.Y` as upstream does (no leading zeros, `X` ≥ 1); anything else is a 400 with
   * Nova's message.
   */
  static parse(text: string): ApiVersion {
    const m = /^([1-9]\d*)\.([1-9]\d*|0)$/.exec(text);
    if (!m) {
      throw new BadRequestError(
        `API Version String ${text} is of invalid format. Must be of format MajorNum.MinorNum.`,
        { code: 'compute.invalid_api_version' },
      );
    }
    return new ApiVersion(Number(m[1]), Number(m[2]));
  }

  /** Parses a version literal written in code; throws a plain Error on a typo. */
  static of(text: string): ApiVersion {
    const m = /^(\d+)\.(\d+)$/.exec(text);
    if (!m) throw new Error(`bad version literal ${text}`);
    return new ApiVersion(Number(m[1]), Number(m[2]));
  }

  /** Negative, zero or positive as this version sorts before, equal to or after `other`. */
  compare(other: ApiVersion): number {
    return this.major !== other.major ? this.major - other.major : this.minor - other.minor;
  }

  /** True when this version is `v` or later (upstream's `is_supported`). */
  atLeast(v: ApiVersion | string): boolean {
    return this.compare(typeof v === 'string' ? ApiVersion.of(v) : v) >= 0;
  }

  /** True for the legacy v2 API, where no microversion behaviour applies. */
  get legacy(): boolean {
    return this.major === 2 && this.minor === 0;
  }

  /** The `X.Y` form. */
  toString(): string {
    return `${this.major}.${this.minor}`;
  }
}
