import { UnauthorizedError } from '../../common/errors.js';
import type { RequestContext, TokenValidator } from './request-context.js';

/**
 * `[api] auth_strategy = noauth2`, as upstream Nova and Placement: the token is trusted as it
 * is. `admin` is an admin of project `admin`; `user:project` names a user and a project with
 * the member and reader roles; a token `admin:project` is an admin in that project. For
 * development and tests only: the process logs a warning at start.
 */
export class NoAuth2Validator implements TokenValidator {
  async validate(token: string): Promise<Omit<RequestContext, 'requestId'>> {
    const t = token.trim();
    if (t === '') throw new UnauthorizedError();
    const [user, project] = t.includes(':') ? (t.split(':', 2) as [string, string]) : [t, t];
    if (user === '' || project === '') throw new UnauthorizedError();
    const roles = user === 'admin' ? ['admin', 'member', 'reader'] : ['member', 'reader'];
    return {
      authToken: t,
      userId: user,
      userName: user,
      userDomainId: 'default',
      projectId: project,
      projectName: project,
      projectDomainId: 'default',
      domainId: null,
      systemScope: null,
      roles,
    };
  }
}
