import { NotAcceptableError } from '../../../common/errors.js';
import { ApiVersion } from './api-version.js';

/** The microversion request headers, new style first (microversion 2.27 added it). */
export const API_VERSION_HEADER = 'OpenStack-API-Version';
/** The original Nova-only microversion header. */
export const LEGACY_API_VERSION_HEADER = 'X-OpenStack-Nova-API-Version';

type Headers = Record<string, string | string[] | undefined>;

function headerValues(headers: Headers, name: string): string[] {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(','));
}

/**
 * What the client asked for, as microversion-parse reads it: the `compute` entry of
 * `OpenStack-API-Version` (a comma-separated list of `service version`), else the legacy header;
 * undefined when neither names one.
 */
export function requestedVersion(headers: Headers): string | undefined {
  for (const item of headerValues(headers, API_VERSION_HEADER)) {
    const [service, version, ...rest] = item.trim().split(/\s+/);
    if (service?.toLowerCase() === 'compute' && version !== undefined && rest.length === 0) {
      return version;
    }
  }
  const legacy = headerValues(headers, LEGACY_API_VERSION_HEADER)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return legacy.length > 0 ? legacy[legacy.length - 1] : undefined;
}

/**
 * Picks the request's microversion: the minimum when none is asked for, the maximum for
 * `latest`, else the parsed version, which must lie in [min, max] (406 otherwise; a malformed
 * version is a 400).
 */
export function negotiateVersion(headers: Headers, min: ApiVersion, max: ApiVersion): ApiVersion {
  const asked = requestedVersion(headers);
  if (asked === undefined) return min;
  if (asked.toLowerCase() === 'latest') return max;
  const v = ApiVersion.parse(asked);
  if (v.compare(min) < 0 || v.compare(max) > 0) {
    throw new NotAcceptableError(
      `Version ${v.toString()} is not supported by the API. Minimum is ${min.toString()} and maximum is ${max.toString()}.`,
      { code: 'compute.unsupported_api_version' },
    );
  }
  return v;
}
