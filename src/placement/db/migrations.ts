import type { Kysely } from 'kysely';
import type { DialectName, MigrationSet } from '../../platform/db/database.js';

const TS = 'varchar(32)';
const UUID = 'varchar(36)';

function serial(dialect: DialectName) {
  return dialect === 'postgres' ? ('serial' as const) : ('integer' as const);
}

function serialPk(dialect: DialectName) {
  return (c: any) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
}

async function createCatalogTables(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('placement_resource_classes')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('created_at', TS, (c) => c.notNull())
    .addColumn('updated_at', TS)
    .execute();
  await db.schema
    .createTable('placement_traits')
    .addColumn('id', serial(dialect), serialPk(dialect))
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('created_at', TS, (c) => c.notNull())
    .addColumn('updated_at', TS)
    .execute();
}

async function createProviderTables(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('placement_resource_providers')
    .addColumn('id', serial(dialect), serialPk(dialect))
    .addColumn('uuid', UUID, (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('root_provider_id', 'integer', (c) =>
      c.references('placement_resource_providers.id'),
    )
    .addColumn('parent_provider_id', 'integer', (c) =>
      c.references('placement_resource_providers.id'),
    )
    .addColumn('created_at', TS, (c) => c.notNull())
    .addColumn('updated_at', TS)
    .execute();
  await db.schema
    .createIndex('ix_placement_rp_root')
    .on('placement_resource_providers')
    .column('root_provider_id')
    .execute();
  await db.schema
    .createIndex('ix_placement_rp_parent')
    .on('placement_resource_providers')
    .column('parent_provider_id')
    .execute();
  await db.schema
    .createTable('placement_inventories')
    .addColumn('id', serial(dialect), serialPk(dialect))
    .addColumn('resource_provider_id', 'integer', (c) =>
      c.notNull().references('placement_resource_providers.id'),
    )
    .addColumn('resource_class_id', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('reserved', 'integer', (c) => c.notNull())
    .addColumn('min_unit', 'integer', (c) => c.notNull())
    .addColumn('max_unit', 'integer', (c) => c.notNull())
    .addColumn('step_size', 'integer', (c) => c.notNull())
    .addColumn('allocation_ratio', 'double precision', (c) => c.notNull())
    .addColumn('created_at', TS, (c) => c.notNull())
    .addColumn('updated_at', TS)
    .addUniqueConstraint('uniq_placement_inventories_rp_rc', [
      'resource_provider_id',
      'resource_class_id',
    ])
    .execute();
  await db.schema
    .createIndex('ix_placement_inventories_rc')
    .on('placement_inventories')
    .column('resource_class_id')
    .execute();
  await db.schema
    .createTable('placement_aggregates')
    .addColumn('id', serial(dialect), serialPk(dialect))
    .addColumn('uuid', UUID, (c) => c.notNull().unique())
    .addColumn('created_at', TS, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('placement_provider_aggregates')
    .addColumn('resource_provider_id', 'integer', (c) =>
      c.notNull().references('placement_resource_providers.id'),
    )
    .addColumn('aggregate_id', 'integer', (c) => c.notNull().references('placement_aggregates.id'))
    .addPrimaryKeyConstraint('pk_placement_provider_aggregates', [
      'resource_provider_id',
      'aggregate_id',
    ])
    .execute();
  await db.schema
    .createIndex('ix_placement_provider_aggregates_agg')
    .on('placement_provider_aggregates')
    .column('aggregate_id')
    .execute();
  await db.schema
    .createTable('placement_provider_traits')
    .addColumn('resource_provider_id', 'integer', (c) =>
      c.notNull().references('placement_resource_providers.id'),
    )
    .addColumn('trait_id', 'integer', (c) => c.notNull().references('placement_traits.id'))
    .addPrimaryKeyConstraint('pk_placement_provider_traits', ['resource_provider_id', 'trait_id'])
    .execute();
  await db.schema
    .createIndex('ix_placement_provider_traits_trait')
    .on('placement_provider_traits')
    .column('trait_id')
    .execute();
}

async function createConsumerTables(db: Kysely<any>, dialect: DialectName): Promise<void> {
  for (const [table, column] of [
    ['placement_projects', 'external_id'],
    ['placement_users', 'external_id'],
    ['placement_consumer_types', 'name'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id', serial(dialect), serialPk(dialect))
      .addColumn(column, 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('created_at', TS, (c) => c.notNull())
      .execute();
  }
  await db.schema
    .createTable('placement_consumers')
    .addColumn('id', serial(dialect), serialPk(dialect))
    .addColumn('uuid', UUID, (c) => c.notNull().unique())
    .addColumn('project_id', 'integer', (c) => c.notNull().references('placement_projects.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('placement_users.id'))
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consumer_type_id', 'integer', (c) => c.references('placement_consumer_types.id'))
    .addColumn('created_at', TS, (c) => c.notNull())
    .addColumn('updated_at', TS)
    .execute();
  await db.schema
    .createIndex('ix_placement_consumers_project_user')
    .on('placement_consumers')
    .columns(['project_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('placement_allocations')
    .addColumn('id', serial(dialect), serialPk(dialect))
    .addColumn('resource_provider_id', 'integer', (c) =>
      c.notNull().references('placement_resource_providers.id'),
    )
    .addColumn('consumer_id', UUID, (c) => c.notNull())
    .addColumn('resource_class_id', 'integer', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .addColumn('created_at', TS, (c) => c.notNull())
    .addColumn('updated_at', TS)
    .execute();
  await db.schema
    .createIndex('ix_placement_allocations_rp_rc')
    .on('placement_allocations')
    .columns(['resource_provider_id', 'resource_class_id'])
    .execute();
  await db.schema
    .createIndex('ix_placement_allocations_consumer')
    .on('placement_allocations')
    .column('consumer_id')
    .execute();
}

async function createChangeLog(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('placement_change_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('pruned_through', 'bigint', (c) => c.notNull())
    .execute();
  await db
    .insertInto('placement_change_version')
    .values({ id: 1, version: 0, pruned_through: 0 })
    .execute();
  await db.schema
    .createTable('placement_changes')
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('resource_provider_id', 'integer')
    .execute();
  await db.schema
    .createIndex('ix_placement_changes_version')
    .on('placement_changes')
    .column('version')
    .execute();
}

/** The migrations of the placement tables, applied to `[placement_database] connection`. */
export const placementMigrations: MigrationSet = {
  service: 'placement',
  migrations: [
    {
      name: '0001_placement',
      async up(db, dialect) {
        await createCatalogTables(db, dialect);
        await createProviderTables(db, dialect);
        await createConsumerTables(db, dialect);
        await createChangeLog(db);
      },
    },
  ],
};
