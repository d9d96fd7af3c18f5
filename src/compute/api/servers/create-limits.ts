import { BadRequestError, ForbiddenError } from '../../../common/errors.js';
import type { ApiConfig } from '../api-options.js';

/** The absolute limits a create checks. */
export interface AbsoluteLimits {
  metadataItems: number;
  injectedFiles: number;
  injectedFileContentBytes: number;
  injectedFilePathLength: number;
}

/** The absolute limits from `[quota]` (-1: unlimited). */
export function absoluteLimits(config: ApiConfig): AbsoluteLimits {
  return {
    metadataItems: config.quota.metadata_items,
    injectedFiles: config.quota.injected_files,
    injectedFileContentBytes: config.quota.injected_file_content_bytes,
    injectedFilePathLength: config.quota.injected_file_path_length,
  };
}

/** Nova's 400 for user_data that is not base64; returns the text to store (or null). */
export function checkUserData(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = String(value).replace(/\s+/g, '');
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new BadRequestError('User data needs to be valid base 64.', {
      code: 'compute.invalid_user_data',
    });
  }
  return String(value);
}

/** Nova's metadata_items limit: a 403 past it. */
export function checkMetadataQuota(
  limits: AbsoluteLimits,
  metadata: Record<string, unknown>,
): void {
  const n = Object.keys(metadata).length;
  const allowed = limits.metadataItems;
  if (allowed >= 0 && n > allowed) {
    throw new ForbiddenError(
      `Quota exceeded for metadata_items: Requested ${n}, but already used 0 of ${allowed} metadata_items`,
      { code: 'compute.over_quota' },
    );
  }
}

/** Personality (before 2.57): the injected file limits, each a 403 as upstream. */
export function checkInjectedFiles(
  limits: AbsoluteLimits,
  files: { path?: string; contents?: string }[],
): void {
  for (const f of files) {
    // The schema's `format: base64` upstream: text Python's base64 decoder accepts.
    const text = (f.contents ?? '').replace(/\s+/g, '');
    if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
      throw new BadRequestError(
        `Invalid input for field/attribute contents. Value: ${f.contents}. '${f.contents}' is not a 'base64'`,
        { code: 'compute.invalid_base64' },
      );
    }
  }
  const over = (limit: number, n: number) => limit >= 0 && n > limit;
  if (over(limits.injectedFiles, files.length))
    throw new ForbiddenError('Personality file limit exceeded');
  for (const f of files) {
    if (over(limits.injectedFilePathLength, (f.path ?? '').length)) {
      throw new ForbiddenError(
        `Personality file path exceeds maximum ${limits.injectedFilePathLength}`,
      );
    }
    if (over(limits.injectedFileContentBytes, Buffer.from(f.contents ?? '', 'base64').length)) {
      throw new ForbiddenError(
        `Personality file content exceeds maximum ${limits.injectedFileContentBytes}`,
      );
    }
  }
}
