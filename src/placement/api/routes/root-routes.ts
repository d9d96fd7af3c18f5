import { MAX_VERSION, MIN_VERSION } from '../microversion.js';
import { cacheHeaders, versionOf } from '../request-helpers.js';
import { sendJson } from '../json-reply.js';
import type { PathRoutes, RouteContext } from '../route-context.js';

/** GET /: the version document (no token needed). */
export function rootRoutes(ctx: RouteContext): Record<string, PathRoutes> {
  return {
    '/': {
      GET: async (req, reply) => {
        versionOf(req);
        cacheHeaders(req, reply, null, ctx.deps.clock.now());
        return sendJson(reply, 200, {
          versions: [
            {
              id: `v${MIN_VERSION}`,
              max_version: MAX_VERSION,
              min_version: MIN_VERSION,
              status: 'CURRENT',
              // Relative on purpose (upstream): placement need not know its public address.
              links: [{ rel: 'self', href: '' }],
            },
          ],
        });
      },
    },
  };
}
