import type { Logger } from 'pino';
import { withDeadline } from '../../../common/deadline.js';
import { BadRequestError } from '../../../common/errors.js';
import type { RequestContext } from '../../../platform/auth/request-context.js';

/** Checks that a project id names a project before the API records something for it. */
export interface ProjectVerifier {
  /** Nova's 400 "Project ID … is not a valid project." when identity says there is none. */
  verify(ctx: RequestContext, projectId: string): Promise<void>;
}

/** The message of the refusal, which callers may recognise (flavor access removal does). */
export function invalidProjectMessage(projectId: string): string {
  return `Project ID ${projectId} is not a valid project.`;
}

/**
 * Nova's verify_project_id: asks identity (GET /v3/projects/{id}) with the caller's token, so
 * identity's own policy decides what the caller may learn. Only a 404 refuses; when identity
 * cannot be asked (no endpoint, unreachable, 403 or anything else) the project is let through,
 * as upstream does.
 */
export class IdentityProjectVerifier implements ProjectVerifier {
  constructor(
    /** The identity endpoint (the catalog's), e.g. `http://10.0.0.5:5000/v3`. */
    private readonly endpoint: () => Promise<string>,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  async verify(ctx: RequestContext, projectId: string): Promise<void> {
    let status: number;
    try {
      const base = (await this.endpoint()).replace(/\/+$/, '');
      // A catalog may list identity without its version; the v3 API is what is asked.
      const v3 = /\/v3$/.test(base) ? base : `${base}/v3`;
      const url = `${v3}/projects/${encodeURIComponent(projectId)}`;
      status = await withDeadline(`GET ${url}`, this.timeoutMs, async (signal) => {
        const res = await fetch(url, {
          signal,
          headers: {
            accept: 'application/json',
            'x-auth-token': ctx.authToken ?? '',
            'x-openstack-request-id': ctx.requestId,
          },
        });
        await res.arrayBuffer();
        return res.status;
      });
    } catch (err) {
      this.logger.info(
        { err, project: projectId },
        'Unable to contact identity to verify project_id',
      );
      return;
    }
    if (status === 404) {
      throw new BadRequestError(invalidProjectMessage(projectId), {
        code: 'compute.invalid_project',
      });
    }
    if (status >= 300) {
      this.logger.info(
        { project: projectId, status, user: ctx.userId },
        'identity did not verify project_id; letting it through',
      );
    }
  }
}

/** For APIs without identity (API-only tests, noauth2 without a catalog): every id passes. */
export const NO_PROJECT_CHECK: ProjectVerifier = { verify: async () => undefined };
