import type { Generated } from 'kysely';
import type { DbBoolean } from '../../platform/db/booleans.js';

/**
 * The identity tables, all prefixed `identity_` so that they can share one database with other
 * services. Timestamps are TEXT (see platform/db/timestamps), booleans INTEGER 0/1, JSON TEXT.
 */

/** A domain: the namespace of projects, users, groups and domain-specific roles. */
export interface DomainsTable {
  id: string;
  name: string;
  enabled: DbBoolean;
  description: string | null;
  extra: string;
  created_at: string;
}

/** A project; `parent_id` null means directly under its domain. */
export interface ProjectsTable {
  id: string;
  name: string;
  domain_id: string;
  parent_id: string | null;
  enabled: DbBoolean;
  description: string | null;
  extra: string;
  created_at: string;
}

/** One tag of a project. */
export interface ProjectTagsTable {
  project_id: string;
  name: string;
}

/** A local user, its password hash and its lockout counters. */
export interface UsersTable {
  id: string;
  name: string;
  domain_id: string;
  enabled: DbBoolean;
  default_project_id: string | null;
  password_hash: string | null;
  password_created_at: string | null;
  failed_auth_count: number;
  failed_auth_at: string | null;
  options: string;
  extra: string;
  created_at: string;
}

/** A group of users. */
export interface GroupsTable {
  id: string;
  name: string;
  domain_id: string;
  description: string | null;
  extra: string;
  created_at: string;
}

/** Membership of a user in a group. */
export interface GroupMembersTable {
  group_id: string;
  user_id: string;
}

/**
 * A role. `domain_id` is '' for a global role: NULLs are distinct in UNIQUE constraints on both
 * dialects, so a sentinel keeps global role names unique (keystone uses '<<null>>' likewise).
 */
export interface RolesTable {
  id: string;
  name: string;
  domain_id: string;
  description: string | null;
  options: string;
  extra: string;
  created_at: string;
}

/** `prior_role_id` implies `implied_role_id`. */
export interface ImpliedRolesTable {
  prior_role_id: string;
  implied_role_id: string;
}

/** The kinds of grant, as keystone's assignment table names them. */
export type AssignmentType =
  'UserProject' | 'GroupProject' | 'UserDomain' | 'GroupDomain' | 'UserSystem' | 'GroupSystem';

/** A role granted to a user or group on a project, a domain or the system (`target_id` 'all'). */
export interface AssignmentsTable {
  type: AssignmentType;
  actor_id: string;
  target_id: string;
  role_id: string;
  inherited: DbBoolean;
}

/** An application credential: a secret a user hands to an application, bound to a project. */
export interface AppCredsTable {
  id: string;
  name: string;
  user_id: string;
  project_id: string | null;
  secret_hash: string;
  description: string | null;
  expires_at: string | null;
  unrestricted: DbBoolean;
  created_at: string;
}

/** A role an application credential delegates. */
export interface AppCredRolesTable {
  app_cred_id: string;
  role_id: string;
}

/** A service of the catalog. */
export interface ServicesTable {
  id: string;
  type: string;
  name: string | null;
  description: string | null;
  enabled: DbBoolean;
  extra: string;
}

/** A region of the catalog. */
export interface RegionsTable {
  id: string;
  description: string;
  parent_region_id: string | null;
  extra: string;
}

/** An endpoint of a catalog service. */
export interface EndpointsTable {
  id: string;
  service_id: string;
  interface: string;
  region_id: string | null;
  url: string;
  enabled: DbBoolean;
  extra: string;
}

/**
 * A revocation event: tokens matching every non-null field and issued at or before
 * `issued_before` are rejected (keystone's revoke model, reduced to what Stratus emits).
 */
export interface RevocationEventsTable {
  id: Generated<number>;
  user_id: string | null;
  project_id: string | null;
  audit_id: string | null;
  audit_chain_id: string | null;
  issued_before: string;
  revoked_at: string;
}

/** Every identity table, for Kysely. */
export interface IdentityTables {
  identity_domains: DomainsTable;
  identity_projects: ProjectsTable;
  identity_project_tags: ProjectTagsTable;
  identity_users: UsersTable;
  identity_groups: GroupsTable;
  identity_group_members: GroupMembersTable;
  identity_roles: RolesTable;
  identity_implied_roles: ImpliedRolesTable;
  identity_assignments: AssignmentsTable;
  identity_app_creds: AppCredsTable;
  identity_app_cred_roles: AppCredRolesTable;
  identity_services: ServicesTable;
  identity_regions: RegionsTable;
  identity_endpoints: EndpointsTable;
  identity_revocation_events: RevocationEventsTable;
}
