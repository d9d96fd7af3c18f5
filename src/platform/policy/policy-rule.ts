/** The token scopes a rule may allow, as oslo.policy's scope_types. */
export type ScopeType = 'system' | 'domain' | 'project';

/** One policy default, registered in code by the service that enforces it. */
export interface PolicyRule {
  /** e.g. `os_compute_api:os-flavor-manage:create`. */
  name: string;
  /** The default rule string, e.g. `role:admin` or `rule:project_member_or_admin`. */
  checkStr: string;
  description: string;
  /** Scopes this rule may be used from; omitted for general rules like `admin_api`. */
  scopeTypes?: ScopeType[];
  /** The API operations it protects (documentation, and for a future `policy list`). */
  operations?: { method: string; path: string }[];
}
