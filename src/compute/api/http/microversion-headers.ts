import type { ApiVersion } from '../microversion/api-version.js';
import { API_VERSION_HEADER, LEGACY_API_VERSION_HEADER } from '../microversion/negotiate.js';

/**
 * The response headers naming the microversion that served a request, on successes and faults
 * alike; none for the legacy v2 API, whose wrapper strips them upstream.
 */
export function microversionHeaders(v: ApiVersion): Record<string, string> {
  if (v.legacy) return {};
  return {
    [API_VERSION_HEADER.toLowerCase()]: `compute ${v.toString()}`,
    [LEGACY_API_VERSION_HEADER.toLowerCase()]: v.toString(),
    vary: `${API_VERSION_HEADER}, ${LEGACY_API_VERSION_HEADER}`,
  };
}
