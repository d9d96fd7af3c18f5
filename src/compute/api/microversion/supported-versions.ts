import { ApiVersion } from './api-version.js';

/** The oldest microversion of `/v2.1`, as upstream. */
export const MIN_API_VERSION = new ApiVersion(2, 1);

/**
 * The newest microversion Stratus fully implements for every resource it serves; raised only as
 * each version's behaviour lands (docs/compute-microversions.md keeps the table). Upstream's own
 * maximum at the commit we follow is 2.104.
 */
export const MAX_API_VERSION = new ApiVersion(2, 104);
