import { toDbTimestamp } from '../../../platform/db/timestamps.js';
import type { CatalogService } from '../../core/catalog-builder.js';
import type { TokenInfo } from '../../core/token-provider.js';

/** keystone's timestamps: ISO 8601 UTC with six fractional digits and a `Z`. */
export function isoTime(ms: number): string {
  return toDbTimestamp(ms);
}

/** `{"id", "name"}` of a role as tokens list them. */
function roleRefs(info: TokenInfo) {
  return info.roles.map((r) => ({ id: r.id, name: r.name }));
}

/**
 * A token in keystone's v3 shape (render_token_response_from_model): methods, user, audit ids,
 * times, then the scope with its roles, then the catalog of a scoped token when wanted.
 */
export function renderToken(info: TokenInfo, catalog?: CatalogService[]): { token: object } {
  const p = info.payload;
  const token: Record<string, unknown> = {
    methods: p.methods,
    user: {
      domain: { id: info.userDomain.id, name: info.userDomain.name },
      id: info.user.id,
      name: info.user.name,
      password_expires_at: null,
    },
    audit_ids: p.auditIds,
    expires_at: isoTime(p.expiresAt),
    issued_at: isoTime(p.issuedAt),
  };
  if (info.system) {
    token.roles = roleRefs(info);
    token.system = { all: true };
  } else if (info.domain) {
    token.domain = { id: info.domain.id, name: info.domain.name };
    token.roles = roleRefs(info);
  } else if (info.project && info.projectDomain) {
    token.project = {
      domain: { id: info.projectDomain.id, name: info.projectDomain.name },
      id: info.project.id,
      name: info.project.name,
    };
    token.is_domain = false;
    token.roles = roleRefs(info);
  }
  if (catalog && p.scope.kind !== 'unscoped') token.catalog = catalog;
  if (info.appCred) {
    token.application_credential = {
      id: info.appCred.id,
      name: info.appCred.name,
      restricted: !info.appCred.unrestricted,
    };
  }
  return { token };
}
