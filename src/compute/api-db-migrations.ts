import type { CreateTableBuilder, Kysely } from 'kysely';
import type { DialectName, MigrationSet } from '../platform/db/database.js';
import { DEVSTACK_FLAVORS } from './devstack-flavors.js';

/** An integer primary key that the database numbers: serial on PostgreSQL, rowid on SQLite. */
function withId<T extends string>(
  t: CreateTableBuilder<T, never>,
  dialect: DialectName,
): CreateTableBuilder<T, 'id'> {
  return t.addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
    dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
  );
}

function table(db: Kysely<any>, name: string, dialect: DialectName) {
  return withId(db.schema.createTable(name), dialect)
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)');
}

async function createFlavorTables(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await table(db, 'flavors', dialect)
    .addColumn('flavorid', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .addColumn('memory_mb', 'integer', (c) => c.notNull())
    .addColumn('vcpus', 'integer', (c) => c.notNull())
    .addColumn('root_gb', 'integer', (c) => c.notNull())
    .addColumn('ephemeral_gb', 'integer', (c) => c.notNull())
    .addColumn('swap', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rxtx_factor', 'double precision', (c) => c.notNull().defaultTo(1))
    .addColumn('vcpu_weight', 'integer')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('description', 'text')
    .execute();
  await table(db, 'flavor_extra_specs', dialect)
    .addColumn('flavor_id', 'integer', (c) =>
      c.notNull().references('flavors.id').onDelete('cascade'),
    )
    .addColumn('key', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('uniq_flavor_extra_specs0flavor_id0key', ['flavor_id', 'key'])
    .execute();
  await table(db, 'flavor_projects', dialect)
    .addColumn('flavor_id', 'integer', (c) =>
      c.notNull().references('flavors.id').onDelete('cascade'),
    )
    .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('uniq_flavor_projects0flavor_id0project_id', ['flavor_id', 'project_id'])
    .execute();
}

async function createKeyPairAndQuotaTables(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await table(db, 'key_pairs', dialect)
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('fingerprint', 'varchar(255)', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('type', 'varchar(8)', (c) => c.notNull().defaultTo('ssh'))
    .addUniqueConstraint('uniq_key_pairs0user_id0name', ['user_id', 'name'])
    .execute();
  await table(db, 'quotas', dialect)
    .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource', 'varchar(255)', (c) => c.notNull())
    .addColumn('hard_limit', 'integer', (c) => c.notNull())
    .addUniqueConstraint('uniq_quotas0project_id0resource', ['project_id', 'resource'])
    .execute();
  await table(db, 'project_user_quotas', dialect)
    .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource', 'varchar(255)', (c) => c.notNull())
    .addColumn('hard_limit', 'integer', (c) => c.notNull())
    .addUniqueConstraint('uniq_project_user_quotas0user_id0project_id0resource', [
      'user_id',
      'project_id',
      'resource',
    ])
    .execute();
  await table(db, 'quota_classes', dialect)
    .addColumn('class_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource', 'varchar(255)', (c) => c.notNull())
    .addColumn('hard_limit', 'integer', (c) => c.notNull())
    .addUniqueConstraint('uniq_quota_classes0class_name0resource', ['class_name', 'resource'])
    .execute();
}

async function createAggregateTables(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await table(db, 'aggregates', dialect)
    .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
    .execute();
  await table(db, 'aggregate_hosts', dialect)
    .addColumn('aggregate_id', 'integer', (c) =>
      c.notNull().references('aggregates.id').onDelete('cascade'),
    )
    .addColumn('host', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('uniq_aggregate_hosts0host0aggregate_id', ['host', 'aggregate_id'])
    .execute();
  await table(db, 'aggregate_metadata', dialect)
    .addColumn('aggregate_id', 'integer', (c) =>
      c.notNull().references('aggregates.id').onDelete('cascade'),
    )
    .addColumn('key', 'varchar(255)', (c) => c.notNull())
    .addColumn('value', 'varchar(255)', (c) => c.notNull())
    .addUniqueConstraint('uniq_aggregate_metadata0aggregate_id0key', ['aggregate_id', 'key'])
    .execute();
  await db.schema
    .createIndex('aggregate_metadata_key_idx')
    .on('aggregate_metadata')
    .column('key')
    .execute();
}

async function createServerGroupTables(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await table(db, 'instance_groups', dialect)
    .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(255)')
    .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('instance_groups_project_id_idx')
    .on('instance_groups')
    .column('project_id')
    .execute();
  await table(db, 'instance_group_policy', dialect)
    .addColumn('group_id', 'integer', (c) =>
      c.notNull().references('instance_groups.id').onDelete('cascade'),
    )
    .addColumn('policy', 'varchar(255)', (c) => c.notNull())
    .addColumn('rules', 'text')
    .execute();
  await table(db, 'instance_group_member', dialect)
    .addColumn('group_id', 'integer', (c) =>
      c.notNull().references('instance_groups.id').onDelete('cascade'),
    )
    .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
    .addUniqueConstraint('uniq_instance_group_member0group_id0instance_uuid', [
      'group_id',
      'instance_uuid',
    ])
    .execute();
}

/** The migrations of the compute API database ([api_database] connection). */
export const apiDbMigrations: MigrationSet = {
  service: 'compute_api',
  migrations: [
    {
      name: '0001_api_tables',
      async up(db, dialect) {
        await createFlavorTables(db, dialect);
        await createKeyPairAndQuotaTables(db, dialect);
        await createAggregateTables(db, dialect);
        await createServerGroupTables(db, dialect);
      },
    },
    {
      // Seeded once, as devstack does on a new cloud; an operator's later deletions stick.
      name: '0002_devstack_flavors',
      async up(db) {
        const ts = '2000-01-01T00:00:00.000000Z';
        for (const f of DEVSTACK_FLAVORS) {
          await db
            .insertInto('flavors')
            .values({
              flavorid: f.id,
              name: f.name,
              memory_mb: f.ram,
              vcpus: f.vcpus,
              root_gb: f.disk,
              ephemeral_gb: 0,
              swap: 0,
              rxtx_factor: 1,
              vcpu_weight: null,
              disabled: 0,
              is_public: 1,
              description: null,
              created_at: ts,
              updated_at: null,
            })
            .execute();
        }
      },
    },
  ],
};
