import type { FastifyRequest } from 'fastify';
import type { PathRoutes, RouteContext } from '../route-context.js';

/** Answers GET /allocation_candidates (the candidates engine). */
export interface CandidateFinder {
  /** Handles one request: parses, searches and returns the response body. */
  find(req: FastifyRequest): Promise<unknown>;
}

/** GET /allocation_candidates (1.10+). */
export function candidateRoutes(
  _ctx: RouteContext,
  _finder: CandidateFinder,
): Record<string, PathRoutes> {
  return {};
}
