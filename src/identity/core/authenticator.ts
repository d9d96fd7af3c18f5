import type { Clock } from '../../common/clock.js';
import type { AuthRequest } from '../api/schemas/auth-schemas.js';
import type { AuthMethod, TokenScope } from '../crypto/token-payload.js';
import { verifyPassword } from '../crypto/password-hasher.js';
import {
  accountLocked,
  authPluginError,
  badRequest,
  forbiddenAction,
  notFound,
  unauthorized,
  userDisabled,
  validationError,
} from '../identity-errors.js';
import type { IdentityStore } from '../store/identity-store.js';
import type { Domain, Project } from '../store/resource-store.js';
import type { User } from '../store/user-store.js';
import type { RoleResolver } from './role-resolver.js';
import type { TokenInfo, TokenProvider } from './token-provider.js';

/** `[security_compliance]` lockout settings; `attempts` 0 disables lockout. */
export interface LockoutPolicy {
  attempts: number;
  durationS: number;
}

/** What one successful method contributes (keystone's auth_context). */
interface MethodResult {
  userId: string;
  methods: AuthMethod[];
  expiresAt?: number;
  parentAuditId?: string;
  applicationCredentialId?: string;
  /** Scope the result forces (application credentials are bound to their project). */
  scope?: TokenScope;
  /** The token method: the token used, to check what it may be exchanged for. */
  fromToken?: TokenInfo;
}

const SUPPORTED: readonly AuthMethod[] = ['password', 'token', 'application_credential'];

type IdOrName = { id?: string | undefined; name?: string | undefined };
type ScopeObject = Exclude<NonNullable<AuthRequest['scope']>, string>;

/** True when the option `ignore_lockout_failure_attempts` exempts the user from lockout. */
function ignoresLockout(user: User): boolean {
  return user.options.ignore_lockout_failure_attempts === true;
}

/**
 * Authenticates a POST /v3/auth/tokens request and issues its token, following keystone's
 * order: validate the methods, resolve the requested scope, run each method, fall back to the
 * user's default project when no scope was asked for, then issue.
 */
export class Authenticator {
  constructor(
    private readonly store: IdentityStore,
    private readonly tokens: TokenProvider,
    private readonly resolver: RoleResolver,
    private readonly clock: Clock,
    private readonly lockout: LockoutPolicy,
    private readonly allowRescope: boolean,
  ) {}

  /** Authenticates and issues a token; every failure is a keystone 4xx. */
  async authenticate(auth: AuthRequest): Promise<TokenInfo> {
    const methods = [...new Set(auth.identity.methods)];
    const identity = auth.identity as Record<string, unknown>;
    for (const m of methods) if (!(m in identity)) throw validationError(m, 'identity');
    for (const m of methods) {
      if (!SUPPORTED.includes(m as AuthMethod)) {
        throw authPluginError('Attempted to authenticate with an unsupported method.');
      }
    }
    if (methods.length === 0) throw validationError('methods', 'identity');
    if (methods.includes('application_credential') && auth.scope !== undefined) {
      throw authPluginError(
        'Error authenticating with application credential: ' +
          'Application credentials cannot request a scope.',
      );
    }
    const requested = await this.requestedScope(auth.scope);

    const results: MethodResult[] = [];
    for (const m of methods as AuthMethod[]) results.push(await this.runMethod(m, auth));
    const userId = results[0]!.userId;
    if (results.some((r) => r.userId !== userId)) {
      throw unauthorized('Unable to reconcile identity attribute user_id');
    }
    const merged: MethodResult = Object.assign({}, ...results);
    const allMethods = [...new Set(results.flatMap((r) => r.methods))];

    let scope: TokenScope | undefined = merged.scope ?? requested;
    if (merged.fromToken) scope = this.rescope(merged.fromToken, auth.scope, scope);
    scope ??= await this.defaultScope(userId);

    return this.tokens.issue({
      userId,
      methods: allMethods,
      scope,
      ...(merged.expiresAt !== undefined ? { expiresAt: merged.expiresAt } : {}),
      ...(merged.parentAuditId ? { parentAuditId: merged.parentAuditId } : {}),
      applicationCredentialId: merged.applicationCredentialId ?? null,
    });
  }

  private async runMethod(method: AuthMethod, auth: AuthRequest): Promise<MethodResult> {
    switch (method) {
      case 'password':
        return this.password(auth.identity.password?.user);
      case 'token':
        return this.token(auth.identity.token!.id);
      case 'application_credential':
        return this.applicationCredential(auth.identity.application_credential!);
    }
  }

  private async lookupDomain(ref: IdOrName): Promise<Domain> {
    let d: Domain | undefined;
    if (ref.id) d = await this.store.resources.findDomain(ref.id);
    else if (ref.name) d = await this.store.resources.findDomainByName(ref.name);
    else throw validationError('id or name', 'domain');
    if (!d) throw unauthorized(`Could not find domain: ${ref.id ?? ref.name}.`);
    if (!d.enabled) throw unauthorized(`Domain is disabled: ${d.id}`);
    return d;
  }

  private async lookupUser(ref: IdOrName & { domain?: IdOrName | undefined }): Promise<User> {
    let user: User | undefined;
    if (ref.id) {
      user = await this.store.users.findUser(ref.id);
    } else {
      if (!ref.domain) throw validationError('domain', 'user');
      const domain = await this.lookupDomain(ref.domain);
      user = await this.store.users.findUserByName(ref.name!, domain.id);
    }
    if (!user) throw unauthorized(`Could not find user: ${ref.id ?? ref.name}.`);
    const domain = await this.store.resources.findDomain(user.domainId);
    if (!domain?.enabled) throw unauthorized(`Domain is disabled: ${user.domainId}`);
    return user;
  }

  private async password(
    ref: NonNullable<NonNullable<AuthRequest['identity']['password']>['user']> | undefined,
  ): Promise<MethodResult> {
    if (!ref) throw validationError('user', 'password');
    if (!ref.id && !ref.name) {
      throw badRequest(
        'Invalid input for field identity/password/user: id or name must be present.',
      );
    }
    if (ref.password === undefined) throw validationError('password', 'user');
    const user = await this.lookupUser(ref);
    // keystone checks enabled while looking the user up, before the password.
    if (!user.enabled) throw userDisabled(user.id);
    if (await this.isLocked(user)) throw accountLocked(user.id);
    if (!(await verifyPassword(ref.password, user.passwordHash))) {
      if (this.lockout.attempts > 0 && !ignoresLockout(user)) {
        await this.store.users.recordFailedAuth(user.id);
      }
      throw unauthorized(`Invalid password for user ${user.id}`);
    }
    if (user.failedAuthCount > 0) await this.store.users.resetFailedAuth(user.id);
    return { userId: user.id, methods: ['password'] };
  }

  /** keystone's _is_account_locked: locked while the last failure is within the duration. */
  private async isLocked(user: User): Promise<boolean> {
    const { attempts, durationS } = this.lockout;
    if (attempts === 0 || ignoresLockout(user) || user.failedAuthCount < attempts) return false;
    const last = user.failedAuthAt?.getTime() ?? 0;
    if (last + durationS * 1000 > this.clock.now()) return true;
    await this.store.users.resetFailedAuth(user.id);
    return false;
  }

  private async token(id: string): Promise<MethodResult> {
    const info = await this.tokens.validate(id);
    const result: MethodResult = {
      userId: info.user.id,
      methods: [...info.payload.methods, 'token'],
      expiresAt: info.payload.expiresAt,
      // The chain keeps the audit id of its first token.
      parentAuditId: info.payload.auditIds.at(-1)!,
      fromToken: info,
    };
    if (info.appCred) result.applicationCredentialId = info.appCred.id;
    return result;
  }

  /** keystone's token_authenticate: what a token may be exchanged for. */
  private rescope(
    from: TokenInfo,
    requestedBody: AuthRequest['scope'],
    requested: TokenScope | undefined,
  ): TokenScope | undefined {
    const body = typeof requestedBody === 'object' ? requestedBody : {};
    const toProjectOrDomain = 'project' in body || 'domain' in body;
    if (from.system && toProjectOrDomain) {
      throw forbiddenAction(
        'Using a system-scoped token to create a project-scoped or domain-scoped token is not allowed.',
      );
    }
    if (from.appCred) {
      if (requestedBody !== undefined) {
        throw forbiddenAction(
          'Using an application credential token to create a scoped token is not allowed.',
        );
      }
      return from.payload.scope;
    }
    if (!this.allowRescope && from.payload.scope.kind !== 'unscoped') {
      throw forbiddenAction('rescope a scoped token');
    }
    return requested;
  }

  private async applicationCredential(
    ref: NonNullable<AuthRequest['identity']['application_credential']>,
  ): Promise<MethodResult> {
    if (ref.secret === undefined) throw validationError('secret', 'application credential');
    let credId = ref.id;
    if (!credId) {
      if (!ref.name) throw validationError('name or ID', 'application credential');
      if (!ref.user) throw validationError('user', 'application credential');
      let userId = ref.user.id;
      if (!userId) {
        if (!ref.user.domain) throw validationError('domain', 'user');
        const domain = await this.lookupDomain(ref.user.domain);
        const user = await this.store.users.findUserByName(ref.user.name ?? '', domain.id);
        if (!user) throw unauthorized(`Could not find user: ${ref.user.name}.`);
        userId = user.id;
      }
      const found = await this.store.appCreds.listForUser(userId, ref.name);
      if (found.length !== 1)
        throw unauthorized(`Could not find application credential: ${ref.name}`);
      credId = found[0]!.id;
    }
    const cred = await this.store.appCreds.find(credId);
    if (!cred) throw notFound('Application Credential', credId);
    if (cred.expiresAt && cred.expiresAt.getTime() <= this.clock.now()) {
      throw unauthorized('Application credential has expired');
    }
    const user = await this.store.users.findUser(cred.userId);
    if (!user) throw unauthorized(`Could not find user: ${cred.userId}.`);
    if (!user.enabled) throw userDisabled(user.id);
    if (!(await verifyPassword(ref.secret, cred.secretHash))) {
      throw unauthorized('Invalid application credential secret');
    }
    return {
      userId: user.id,
      methods: ['application_credential'],
      applicationCredentialId: cred.id,
      scope: cred.projectId ? { kind: 'project', id: cred.projectId } : { kind: 'unscoped' },
    };
  }

  private async lookupProject(ref: IdOrName & { domain?: IdOrName | undefined }): Promise<Project> {
    let project: Project | undefined;
    if (ref.name) {
      if (!ref.domain) throw validationError('domain', 'project');
      const domain = await this.lookupDomain(ref.domain);
      project = await this.store.resources.findProjectByName(ref.name, domain.id);
    } else {
      project = await this.store.resources.findProject(ref.id!);
      if (project) await this.lookupDomain({ id: project.domainId });
    }
    if (!project) throw unauthorized(`Could not find project: ${ref.id ?? ref.name}.`);
    if (!project.enabled) throw unauthorized(`Project is disabled: ${project.id}`);
    return project;
  }

  /** keystone's _validate_and_normalize_scope_data. */
  private async requestedScope(scope: AuthRequest['scope']): Promise<TokenScope | undefined> {
    if (scope === undefined) return undefined;
    if (typeof scope === 'string') {
      if (scope === 'unscoped') return { kind: 'unscoped' };
      throw validationError('system, project, domain, OS-TRUST:trust or unscoped', 'scope');
    }
    const s: ScopeObject = scope;
    const kinds = (['project', 'domain', 'unscoped', 'system', 'OS-TRUST:trust'] as const).filter(
      (k) => k in s,
    );
    if (kinds.length !== 1) {
      throw validationError('system, project, domain, OS-TRUST:trust or unscoped', 'scope');
    }
    if (s.system) return { kind: 'system' };
    if ('unscoped' in s) return { kind: 'unscoped' };
    if (s.project) {
      if (!s.project.id && !s.project.name) {
        throw badRequest('Invalid input for field scope/project: id or name must be present.');
      }
      return { kind: 'project', id: (await this.lookupProject(s.project)).id };
    }
    if (s.domain) {
      if (!s.domain.id && !s.domain.name) {
        throw badRequest('Invalid input for field scope/domain: id or name must be present.');
      }
      return { kind: 'domain', id: (await this.lookupDomain(s.domain)).id };
    }
    // Trusts are not part of Stratus: no trust can be found.
    throw notFound('trust', s['OS-TRUST:trust']?.id ?? '');
  }

  /** keystone's _check_and_set_default_scoping: the user's default project, when usable. */
  private async defaultScope(userId: string): Promise<TokenScope> {
    const user = await this.store.users.findUser(userId);
    if (!user?.defaultProjectId) return { kind: 'unscoped' };
    const project = await this.store.resources.findProject(user.defaultProjectId);
    if (!project?.enabled) return { kind: 'unscoped' };
    const domain = await this.store.resources.findDomain(project.domainId);
    if (!domain?.enabled) return { kind: 'unscoped' };
    const roles = await this.resolver.projectRoleIds(userId, project);
    return roles.length > 0 ? { kind: 'project', id: project.id } : { kind: 'unscoped' };
  }
}
