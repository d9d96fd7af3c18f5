import { randomBytes } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import type { RequestContext } from '../../platform/auth/request-context.js';
import type { TokenSealer } from '../crypto/token-sealer.js';
import type { AuthMethod, TokenPayload, TokenScope } from '../crypto/token-payload.js';
import { unauthorized, userDisabled } from '../identity-errors.js';
import type { AppCred } from '../store/app-cred-store.js';
import type { IdentityStore } from '../store/identity-store.js';
import type { Domain, Project } from '../store/resource-store.js';
import type { Role } from '../store/role-store.js';
import type { User } from '../store/user-store.js';
import type { RoleResolver } from './role-resolver.js';

/** A valid token with everything it refers to looked up. */
export interface TokenInfo {
  /** The token string. */
  id: string;
  payload: TokenPayload;
  user: User;
  userDomain: Domain;
  project: Project | null;
  projectDomain: Domain | null;
  domain: Domain | null;
  system: boolean;
  /** Effective roles on the scope (implied ones included), empty when unscoped. */
  roles: Role[];
  appCred: AppCred | null;
}

/** What a new token is for. */
export interface IssueRequest {
  userId: string;
  methods: AuthMethod[];
  scope: TokenScope;
  /** Keep this expiry (a rescoped token never outlives the one it came from). */
  expiresAt?: number;
  /** The audit id of the token chain's first token, when rescoping. */
  parentAuditId?: string;
  applicationCredentialId?: string | null;
}

/** keystone's random_urlsafe_str: 16 random bytes, URL-safe base64 without padding. */
function newAuditId(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Issues and validates sealed tokens. Nothing is stored per token: a token is valid while it has
 * not expired, no revocation event matches it, its user is enabled, and its scope still exists,
 * is enabled and grants the user at least one role, which is looked up again every time.
 */
export class TokenProvider {
  constructor(
    private readonly store: IdentityStore,
    private readonly sealer: TokenSealer,
    private readonly resolver: RoleResolver,
    private readonly clock: Clock,
    private readonly expirationS: number,
  ) {}

  /** Issues a token; throws a 401 when the user may not have that scope. */
  async issue(req: IssueRequest): Promise<TokenInfo> {
    const issuedAt = this.clock.now();
    let expiresAt = req.expiresAt ?? issuedAt + this.expirationS * 1000;
    if (req.applicationCredentialId) {
      const cred = await this.store.appCreds.find(req.applicationCredentialId);
      // A token made from an application credential never outlives the credential.
      if (cred?.expiresAt) expiresAt = Math.min(expiresAt, cred.expiresAt.getTime());
    }
    const payload: TokenPayload = {
      userId: req.userId,
      methods: req.methods,
      scope: req.scope,
      expiresAt,
      issuedAt,
      auditIds: req.parentAuditId ? [newAuditId(), req.parentAuditId] : [newAuditId()],
      applicationCredentialId: req.applicationCredentialId ?? null,
    };
    const id = this.sealer.seal(payload);
    return this.resolve(id, payload);
  }

  /**
   * Validates a token; throws a 401 when it is not valid (malformed, expired, revoked, its user
   * disabled or gone, its scope no longer granted).
   */
  async validate(token: string): Promise<TokenInfo> {
    const payload = this.sealer.unseal(token);
    if (!payload) throw unauthorized('Failed to validate token');
    if (payload.expiresAt <= this.clock.now()) throw unauthorized('Failed to validate token');
    const revoked = await this.store.revocations.isRevoked({
      userId: payload.userId,
      projectId: payload.scope.kind === 'project' ? payload.scope.id : null,
      auditIds: payload.auditIds,
      issuedAt: payload.issuedAt,
    });
    if (revoked) throw unauthorized('Token has been revoked');
    return this.resolve(token, payload);
  }

  /** Revokes one token (DELETE /v3/auth/tokens): its audit id, not the chain. */
  async revoke(info: TokenInfo): Promise<void> {
    await this.store.revocations.revoke({ auditId: info.payload.auditIds[0]! });
  }

  private async enabledDomain(id: string): Promise<Domain> {
    const d = await this.store.resources.findDomain(id);
    if (!d) throw unauthorized(`Could not find domain: ${id}.`);
    if (!d.enabled) throw unauthorized(`Domain is disabled: ${id}`);
    return d;
  }

  private async resolve(id: string, payload: TokenPayload): Promise<TokenInfo> {
    const user = await this.store.users.findUser(payload.userId);
    if (!user) throw unauthorized(`Could not find user: ${payload.userId}.`);
    if (!user.enabled) throw userDisabled(user.id);
    const userDomain = await this.enabledDomain(user.domainId);
    let appCred: AppCred | null = null;
    if (payload.applicationCredentialId) {
      appCred = (await this.store.appCreds.find(payload.applicationCredentialId)) ?? null;
      if (!appCred || (appCred.expiresAt && appCred.expiresAt.getTime() <= this.clock.now())) {
        throw unauthorized('Failed to validate token');
      }
    }
    const info: TokenInfo = {
      id,
      payload,
      user,
      userDomain,
      project: null,
      projectDomain: null,
      domain: null,
      system: false,
      roles: [],
      appCred,
    };
    const scope = payload.scope;
    let roleIds: string[] = [];
    if (scope.kind === 'project') {
      const project = await this.store.resources.findProject(scope.id);
      if (!project) throw unauthorized(`Could not find project: ${scope.id}.`);
      if (!project.enabled) throw unauthorized(`Project is disabled: ${project.id}`);
      info.project = project;
      info.projectDomain = await this.enabledDomain(project.domainId);
      roleIds = await this.resolver.projectRoleIds(user.id, project);
      // An application credential delegates only its roles the user still holds.
      if (appCred) roleIds = roleIds.filter((r) => appCred.roleIds.includes(r));
      if (roleIds.length === 0) {
        throw unauthorized(`User ${user.id} has no access to project ${project.id}`);
      }
    } else if (scope.kind === 'domain') {
      info.domain = await this.enabledDomain(scope.id);
      roleIds = await this.resolver.domainRoleIds(user.id, scope.id);
      if (roleIds.length === 0) {
        throw unauthorized(`User ${user.id} has no access to domain ${scope.id}`);
      }
    } else if (scope.kind === 'system') {
      info.system = true;
      roleIds = await this.resolver.systemRoleIds(user.id);
      if (roleIds.length === 0) throw unauthorized(`User ${user.id} has no access to the system`);
    }
    info.roles = await this.resolver.rolesOf(roleIds);
    return info;
  }
}

/** What a validated token grants, as other services' requests carry it (keystonemiddleware). */
export function toRequestContext(info: TokenInfo): Omit<RequestContext, 'requestId'> {
  return {
    authToken: info.id,
    userId: info.user.id,
    userName: info.user.name,
    userDomainId: info.user.domainId,
    projectId: info.project?.id ?? null,
    projectName: info.project?.name ?? null,
    projectDomainId: info.project?.domainId ?? null,
    domainId: info.domain?.id ?? null,
    systemScope: info.system ? 'all' : null,
    roles: info.roles.map((r) => r.name),
    applicationCredentialId: info.appCred?.id ?? null,
    expiresAt: new Date(info.payload.expiresAt).toISOString(),
  };
}
