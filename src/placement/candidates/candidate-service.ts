import type { FastifyRequest } from 'fastify';
import { NotImplementedError } from '../../common/errors.js';
import type { CandidateFinder } from '../api/routes/candidate-routes.js';
import type { PlacementDeps } from '../service/placement-deps.js';

/** Answers allocation candidate requests from the in-memory provider index. */
export class CandidateService implements CandidateFinder {
  constructor(private readonly deps: PlacementDeps) {}

  /** Not yet built. */
  async find(_req: FastifyRequest): Promise<unknown> {
    void this.deps;
    throw new NotImplementedError('allocation candidates are not implemented yet');
  }
}
