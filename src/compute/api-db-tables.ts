import type { Generated } from 'kysely';
import type { DbBoolean } from '../platform/db/booleans.js';

/**
 * The compute API database ([api_database] connection), in the shape of Nova's API database:
 * flavors, key pairs, quotas, host aggregates and server groups. Timestamps are the platform's
 * TEXT ISO form, booleans INTEGER 0/1, JSON TEXT.
 */
export interface ApiDatabase {
  flavors: FlavorsTable;
  flavor_extra_specs: FlavorExtraSpecsTable;
  flavor_projects: FlavorProjectsTable;
  key_pairs: KeyPairsTable;
  quotas: QuotasTable;
  project_user_quotas: ProjectUserQuotasTable;
  quota_classes: QuotaClassesTable;
  aggregates: AggregatesTable;
  aggregate_hosts: AggregateHostsTable;
  aggregate_metadata: AggregateMetadataTable;
  instance_groups: InstanceGroupsTable;
  instance_group_policy: InstanceGroupPolicyTable;
  instance_group_member: InstanceGroupMemberTable;
}

/** Created and updated timestamps, on every API table as upstream. */
interface Timestamps {
  created_at: string;
  updated_at: string | null;
}

/** A flavor (Nova's `flavors`); `flavorid` is the API id, `id` the internal one. */
export interface FlavorsTable extends Timestamps {
  id: Generated<number>;
  flavorid: string;
  name: string;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  swap: number;
  rxtx_factor: number;
  vcpu_weight: number | null;
  disabled: DbBoolean;
  is_public: DbBoolean;
  description: string | null;
}

/** One extra spec of a flavor. */
export interface FlavorExtraSpecsTable extends Timestamps {
  id: Generated<number>;
  flavor_id: number;
  key: string;
  value: string;
}

/** A project allowed to use a private flavor. */
export interface FlavorProjectsTable extends Timestamps {
  id: Generated<number>;
  flavor_id: number;
  project_id: string;
}

/** A key pair, owned by a user; `type` is `ssh` or `x509`. */
export interface KeyPairsTable extends Timestamps {
  id: Generated<number>;
  name: string;
  user_id: string;
  fingerprint: string;
  public_key: string;
  type: string;
}

/** A project's quota limit for one resource. */
export interface QuotasTable extends Timestamps {
  id: Generated<number>;
  project_id: string;
  resource: string;
  hard_limit: number;
}

/** A user's quota limit for one resource within a project. */
export interface ProjectUserQuotasTable extends Timestamps {
  id: Generated<number>;
  project_id: string;
  user_id: string;
  resource: string;
  hard_limit: number;
}

/** A quota class's limit for one resource (class `default` overrides the config defaults). */
export interface QuotaClassesTable extends Timestamps {
  id: Generated<number>;
  class_name: string;
  resource: string;
  hard_limit: number;
}

/** A host aggregate. */
export interface AggregatesTable extends Timestamps {
  id: Generated<number>;
  uuid: string;
  name: string;
}

/** A host in an aggregate. */
export interface AggregateHostsTable extends Timestamps {
  id: Generated<number>;
  aggregate_id: number;
  host: string;
}

/** One metadata item of an aggregate (`availability_zone` makes the aggregate a zone). */
export interface AggregateMetadataTable extends Timestamps {
  id: Generated<number>;
  aggregate_id: number;
  key: string;
  value: string;
}

/** A server group (Nova's `instance_groups`). */
export interface InstanceGroupsTable extends Timestamps {
  id: Generated<number>;
  uuid: string;
  name: string | null;
  user_id: string;
  project_id: string;
}

/** The policy of a server group and its rules (JSON object, e.g. max_server_per_host). */
export interface InstanceGroupPolicyTable extends Timestamps {
  id: Generated<number>;
  group_id: number;
  policy: string;
  rules: string | null;
}

/** A server in a server group. */
export interface InstanceGroupMemberTable extends Timestamps {
  id: Generated<number>;
  group_id: number;
  instance_uuid: string;
}
