import type { Microversion } from '../microversion.js';
import { sendJson } from '../json-reply.js';
import { Policy } from '../policies.js';
import {
  cacheHeaders,
  checkAcceptJson,
  queryOf,
  requireVersion,
  validateQuery,
  versionOf,
} from '../request-helpers.js';
import type { PathRoutes, RouteContext } from '../route-context.js';
import type { Check } from '../schema-validator.js';

/** Answers GET /allocation_candidates (the candidates engine). */
export interface CandidateFinder {
  /** Searches with the (schema-checked) query of one request; returns the response body. */
  find(params: URLSearchParams, version: Microversion): Promise<unknown>;
}

/** GET /allocation_candidates (1.10+). */
export function candidateRoutes(
  ctx: RouteContext,
  finder: CandidateFinder,
): Record<string, PathRoutes> {
  const c = ctx.checks.candidates;
  const schemaFor = (v: Microversion): Check => {
    for (const [minor, check] of [
      [36, c.v1_36],
      [35, c.v1_35],
      [33, c.v1_33],
      [31, c.v1_31],
      [25, c.v1_25],
      [21, c.v1_21],
      [17, c.v1_17],
      [16, c.v1_16],
    ] as const) {
      if (v.atLeast(minor)) return check;
    }
    return c.v1_10;
  };
  return {
    '/allocation_candidates': {
      GET: async (req, reply) => {
        requireVersion(req, 10);
        checkAcceptJson(req);
        ctx.authorize(req, Policy.AC_LIST);
        const v = versionOf(req);
        const params = queryOf(req);
        validateQuery(params, schemaFor(v));
        const body = await finder.find(params, v);
        cacheHeaders(req, reply, null, ctx.deps.clock.now());
        return sendJson(reply, 200, body);
      },
    },
  };
}
