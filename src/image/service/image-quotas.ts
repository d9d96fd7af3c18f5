import { ConfigError } from '../../common/errors.js';
import { overLimit } from '../domain/glance-error.js';
import type { UsageRepo } from '../db/usage-repo.js';

/** The limits an operator configured ([image] options). */
export interface QuotaLimits {
  /** Images per project; negative = unlimited. */
  imageCountTotal: number;
  /** Stored bytes per project; 0 = unlimited. */
  userStorageQuota: number;
  /** Largest single image in bytes. */
  imageSizeCap: number;
  imageMemberQuota: number;
  imagePropertyQuota: number;
  imageTagQuota: number;
}

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
};

/** Parses user_storage_quota as Glance does: digits with an optional B, KB, MB, GB or TB. */
export function parseStorageQuota(text: string): number {
  const m = /^(\d+)((K|M|G|T)?B)?$/.exec(text);
  if (!m) throw new ConfigError(`[image] user_storage_quota: invalid value '${text}'`);
  return Number(m[1]) * UNITS[m[2] ?? 'B']!;
}

/** Glance's LimitExceeded text around an oslo.limit over-limit description. */
function limitExceeded(body: string): string {
  return (
    'The request returned a 413 Request Entity Too Large. This generally means that rate ' +
    `limiting or a quota threshold was breached.\n\nThe response body:\n${body}`
  );
}

/** The limit on one counted thing was reached (property, tag and member quotas). */
export function countLimitMessage(what: string, attempted: number, maximum: number): string {
  return `The limit has been exceeded on the number of allowed ${what}. Attempted: ${attempted}, Maximum: ${maximum}`;
}

/** The storage quota would be exceeded; Glance's StorageQuotaFull message. */
export class StorageQuotaFullError extends Error {
  constructor(size: number | null, remaining: number) {
    super(
      `The size of the data ${size ?? 'None'} will exceed the limit. ${remaining} bytes remaining.`,
    );
  }
}

/** Enforces the per-project and per-image quotas, raising Glance's 413s. */
export class ImageQuotas {
  constructor(
    readonly limits: QuotaLimits,
    private readonly usage: UsageRepo,
  ) {}

  /** One more image for `project` must fit image_count_total. */
  async checkImageCount(project: string | null): Promise<void> {
    const limit = this.limits.imageCountTotal;
    if (limit < 0 || project === null) return;
    const current = await this.usage.imageCount(project);
    if (current + 1 > limit) {
      throw overLimit(
        limitExceeded(
          `Project ${project} is over a limit for [Resource image_count_total is over limit of ${limit} due to current usage ${current} and delta 1]`,
        ),
      );
    }
  }

  /**
   * Bytes `project` may still store when replacing `imageId`'s data, or undefined when there is
   * no storage quota (Glance's get_remaining_quota).
   */
  async remainingBytes(project: string | null, imageId: string): Promise<number | undefined> {
    const quota = this.limits.userStorageQuota;
    if (quota <= 0 || project === null) return undefined;
    return quota - (await this.usage.storedBytes(project, imageId));
  }

  /**
   * Checks an upload of `size` bytes (null when unknown) against the storage quota before any
   * byte is read; returns the bytes remaining (undefined: no quota). An unknown size is refused
   * only when nothing remains.
   */
  async checkStorage(
    project: string | null,
    imageId: string,
    size: number | null,
  ): Promise<number | undefined> {
    const remaining = await this.remainingBytes(project, imageId);
    if (remaining === undefined) return undefined;
    if (size === null ? remaining <= 0 : size > remaining) {
      throw new StorageQuotaFullError(size, remaining);
    }
    return remaining;
  }

  /** The property count of an image must fit image_property_quota (os_glance_* not counted). */
  checkProperties(properties: Record<string, string>): void {
    const max = this.limits.imagePropertyQuota;
    if (max < 0) return;
    const n = Object.keys(properties).filter((k) => !k.startsWith('os_glance')).length;
    if (n > max) throw overLimit(countLimitMessage('image properties', n, max));
  }

  /** The tag count must fit image_tag_quota; returns the message when it does not. */
  tagLimitMessage(tags: readonly string[]): string | undefined {
    const max = this.limits.imageTagQuota;
    const n = new Set(tags).size;
    return max >= 0 && n > max ? countLimitMessage('image tags', n, max) : undefined;
  }

  /** The member count of an image after adding one must fit image_member_quota. */
  memberLimitMessage(current: number): string | undefined {
    const max = this.limits.imageMemberQuota;
    return max >= 0 && current + 1 > max
      ? countLimitMessage('image members for this image', current + 1, max)
      : undefined;
  }
}
