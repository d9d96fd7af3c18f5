import { randomBytes } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import { BadRequestError } from '../../common/errors.js';
import { hashPassword } from '../crypto/password-hasher.js';
import { forbiddenAction, notFound } from '../identity-errors.js';
import type { AppCred } from '../store/app-cred-store.js';
import type { IdentityStore } from '../store/identity-store.js';
import type { Role } from '../store/role-store.js';
import type { RoleResolver } from './role-resolver.js';
import type { TokenInfo } from './token-provider.js';

/** What the caller asks for. */
export interface AppCredRequest {
  name: string;
  description: string | null;
  secret: string | null;
  expiresAt: string | null;
  roles: { id?: string | undefined; name?: string | undefined }[] | undefined;
  unrestricted: boolean;
}

/** A new credential and its secret, shown this once. */
export interface CreatedAppCred {
  cred: AppCred;
  secret: string;
}

function invalid(detail: string): BadRequestError {
  return new BadRequestError(`Invalid application credential: ${detail}`, {
    code: 'identity.validation',
  });
}

/**
 * Application credentials as keystone makes them: only by the user itself with a project token,
 * never from a restricted application-credential token, with a subset of the token's roles
 * (implied roles added), an optional future expiry, and a secret hashed like a password.
 */
export class AppCredService {
  constructor(
    private readonly store: IdentityStore,
    private readonly resolver: RoleResolver,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Creates a credential for the token's user on the token's project. */
  async create(token: TokenInfo, userId: string, req: AppCredRequest): Promise<CreatedAppCred> {
    if (token.appCred && !token.appCred.unrestricted) {
      throw forbiddenAction(
        "Using method 'application_credential' is not allowed for managing additional application credentials.",
      );
    }
    if (token.user.id !== userId) {
      throw forbiddenAction('Cannot create an application credential for another user.');
    }
    let expiresAt: Date | null = null;
    if (req.expiresAt) {
      const ms = Date.parse(
        /[zZ]|[+-]\d\d:?\d\d$/.test(req.expiresAt) ? req.expiresAt : `${req.expiresAt}Z`,
      );
      if (Number.isNaN(ms)) {
        throw new BadRequestError(
          'Timestamp not in expected format. The server could not comply with the request ' +
            'since it is either malformed or otherwise incorrect. The client is assumed to be in error.',
          { code: 'identity.validation' },
        );
      }
      if (ms <= this.clock.now()) {
        throw new BadRequestError(
          "The 'expires_at' must not be before now. The server could not comply with the " +
            'request since it is either malformed or otherwise incorrect. The client is assumed ' +
            'to be in error.',
          { code: 'identity.validation' },
        );
      }
      expiresAt = new Date(ms);
    }
    const roles = await this.roles(token, req.roles);
    const secret = req.secret ?? randomBytes(64).toString('base64url');
    const cred = await this.store.appCreds.create({
      id: this.ids.uuid().replace(/-/g, ''),
      name: req.name,
      userId,
      projectId: token.project?.id ?? null,
      secretHash: await hashPassword(secret),
      description: req.description,
      expiresAt,
      unrestricted: req.unrestricted,
      roleIds: roles.map((r) => r.id),
    });
    return { cred, secret };
  }

  /** The requested roles with what they imply, all held by the token; else the token's roles. */
  private async roles(token: TokenInfo, wanted: AppCredRequest['roles']): Promise<Role[]> {
    if (!wanted || wanted.length === 0) return token.roles;
    const direct: Role[] = [];
    for (const r of wanted) {
      const role = r.id
        ? await this.store.roles.findRole(r.id)
        : await this.store.roles.findRoleByName(r.name ?? '', null);
      if (!role) throw notFound('role', r.id ?? r.name ?? '');
      direct.push(role);
    }
    const ids = await this.resolver.expand(direct.map((r) => r.id));
    const held = new Set(token.roles.map((r) => r.id));
    for (const id of new Set([...direct.map((r) => r.id), ...ids])) {
      if (!held.has(id))
        throw invalid('Cannot create an application credential with unassigned role');
    }
    return this.resolver.rolesOf([...new Set([...direct.map((r) => r.id), ...ids])]);
  }
}
