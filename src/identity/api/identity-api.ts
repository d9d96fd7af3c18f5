import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import type { PolicyEnforcer, PolicyTarget } from '../../platform/policy/policy-enforcer.js';
import type { Authenticator } from '../core/authenticator.js';
import type { RoleResolver } from '../core/role-resolver.js';
import type { TokenProvider } from '../core/token-provider.js';
import type { UserService } from '../core/user-service.js';
import type { IdentityConfig } from '../identity-options.js';
import type { IdentityStore } from '../store/identity-store.js';
import type { SchemaCheck } from './schema-check.js';

/** What the identity API's routes are given. */
export interface IdentityApiDeps {
  config: IdentityConfig;
  store: IdentityStore;
  tokens: TokenProvider;
  authenticator: Authenticator;
  resolver: RoleResolver;
  users: UserService;
  enforcer: PolicyEnforcer;
  schemas: SchemaCheck;
  clock: Clock;
  ids: IdGenerator;
}

/** Keystone-style resource ids: a UUID4 as 32 hex digits. */
export function newId(ids: IdGenerator): string {
  return ids.uuid().replace(/-/g, '');
}

/** Throws keystone's 403 unless the policy rule allows the caller on the target. */
export function authorize(
  deps: IdentityApiDeps,
  req: FastifyRequest,
  rule: string,
  target: PolicyTarget = {},
): void {
  deps.enforcer.authorize(rule, req.context, target);
}
