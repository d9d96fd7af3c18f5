import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PlacementDeps } from '../service/placement-deps.js';
import type { PlacementChecks } from './schemas/placement-checks.js';

/** A route handler of the placement API. */
export type PlacementHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The routes of one path, by HTTP method. */
export type PathRoutes = Partial<Record<'GET' | 'PUT' | 'POST' | 'DELETE', PlacementHandler>>;

/** What route handlers share: the service dependencies, compiled schemas and policy. */
export interface RouteContext {
  deps: PlacementDeps;
  checks: PlacementChecks;
  /** Throws upstream's 403 unless policy allows `rule` (target defaults to the caller's own). */
  authorize(req: FastifyRequest, rule: string, target?: Record<string, unknown>): void;
}
