import type { FastifyRequest } from 'fastify';
import type { ApiVersion } from '../microversion/api-version.js';

/** What the compute API knows about a request beyond Fastify's view of it. */
export interface ComputeRequestState {
  /** The negotiated microversion; 2.0 for the legacy `/v2` API. */
  version: ApiVersion;
  /** The API root the client used, e.g. `http://10.0.0.5:8774/v2.1`, for links. */
  appUrl: string;
  /** The project id the URL carried (`/v2.1/{project_id}/flavors`), if any. */
  urlProjectId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the compute API's request hook on every `/v2` and `/v2.1` request. */
    compute: ComputeRequestState | null;
  }
}

/** The request's compute state; throws when a handler runs outside the compute API hooks. */
export function computeState(req: FastifyRequest): ComputeRequestState {
  if (!req.compute) throw new Error('compute request state missing');
  return req.compute;
}
