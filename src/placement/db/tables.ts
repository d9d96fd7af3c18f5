import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * The placement tables, as upstream's models with a `placement_` prefix so that they can share
 * a database with other services. Timestamps are TEXT (platform convention), generations and
 * amounts integers, allocation ratios double precision.
 */
export interface PlacementTables {
  placement_resource_classes: {
    id: number;
    name: string;
    created_at: string;
    updated_at: string | null;
  };
  placement_traits: {
    id: Generated<number>;
    name: string;
    created_at: string;
    updated_at: string | null;
  };
  placement_resource_providers: {
    id: Generated<number>;
    uuid: string;
    name: string;
    generation: number;
    root_provider_id: number | null;
    parent_provider_id: number | null;
    created_at: string;
    updated_at: string | null;
  };
  placement_inventories: {
    id: Generated<number>;
    resource_provider_id: number;
    resource_class_id: number;
    total: number;
    reserved: number;
    min_unit: number;
    max_unit: number;
    step_size: number;
    allocation_ratio: number;
    created_at: string;
    updated_at: string | null;
  };
  placement_aggregates: {
    id: Generated<number>;
    uuid: string;
    created_at: string;
  };
  placement_provider_aggregates: {
    resource_provider_id: number;
    aggregate_id: number;
  };
  placement_provider_traits: {
    resource_provider_id: number;
    trait_id: number;
  };
  placement_projects: {
    id: Generated<number>;
    external_id: string;
    created_at: string;
  };
  placement_users: {
    id: Generated<number>;
    external_id: string;
    created_at: string;
  };
  placement_consumer_types: {
    id: Generated<number>;
    name: string;
    created_at: string;
  };
  placement_consumers: {
    id: Generated<number>;
    uuid: string;
    project_id: number;
    user_id: number;
    generation: number;
    consumer_type_id: number | null;
    created_at: string;
    updated_at: string | null;
  };
  placement_allocations: {
    id: Generated<number>;
    resource_provider_id: number;
    consumer_id: string;
    resource_class_id: number;
    used: number;
    created_at: string;
    updated_at: string | null;
  };
  /** One row (id 1): the version of the last committed change, for index refreshes. */
  placement_change_version: {
    id: number;
    version: number;
    /** Change-log rows at or below this version may have been pruned. */
    pruned_through: number;
  };
  /** Which providers each committed version touched (null provider: catalog change). */
  placement_changes: {
    version: number;
    resource_provider_id: number | null;
  };
}

/** The placement database as a Kysely instance. */
export type PlacementDb = Kysely<PlacementTables>;

/** A placement transaction. */
export type PlacementTrx = Transaction<PlacementTables>;

/** Either of the above: store functions take whichever the caller has. */
export type PlacementExecutor = PlacementDb | PlacementTrx;
