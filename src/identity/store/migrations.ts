import type { Kysely } from 'kysely';
import type { DialectName, MigrationSet } from '../../platform/db/database.js';

// Column widths follow keystone's schema: 64 for ids and names, 255 for user and role names.
const ID = 'varchar(64)';
const TS = 'varchar(32)';

async function createResourceTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_domains')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('description', 'text')
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', TS, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('identity_projects')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('domain_id', ID, (c) => c.notNull().references('identity_domains.id'))
    .addColumn('parent_id', ID, (c) => c.references('identity_projects.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('description', 'text')
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', TS, (c) => c.notNull())
    .addUniqueConstraint('uniq_identity_projects_domain_name', ['domain_id', 'name'])
    .execute();
  await db.schema
    .createIndex('ix_identity_projects_parent')
    .on('identity_projects')
    .column('parent_id')
    .execute();
  await db.schema
    .createTable('identity_project_tags')
    .addColumn('project_id', ID, (c) =>
      c.notNull().references('identity_projects.id').onDelete('cascade'),
    )
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_identity_project_tags', ['project_id', 'name'])
    .execute();
}

async function createActorTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_users')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('domain_id', ID, (c) => c.notNull().references('identity_domains.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('default_project_id', ID)
    .addColumn('password_hash', 'text')
    .addColumn('password_created_at', TS)
    .addColumn('failed_auth_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_auth_at', TS)
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', TS, (c) => c.notNull())
    .addUniqueConstraint('uniq_identity_users_domain_name', ['domain_id', 'name'])
    .execute();
  await db.schema
    .createTable('identity_groups')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('domain_id', ID, (c) => c.notNull().references('identity_domains.id'))
    .addColumn('description', 'text')
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', TS, (c) => c.notNull())
    .addUniqueConstraint('uniq_identity_groups_domain_name', ['domain_id', 'name'])
    .execute();
  await db.schema
    .createTable('identity_group_members')
    .addColumn('group_id', ID, (c) =>
      c.notNull().references('identity_groups.id').onDelete('cascade'),
    )
    .addColumn('user_id', ID, (c) =>
      c.notNull().references('identity_users.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('pk_identity_group_members', ['group_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('ix_identity_group_members_user')
    .on('identity_group_members')
    .column('user_id')
    .execute();
}

async function createRoleTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_roles')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('domain_id', ID, (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text')
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', TS, (c) => c.notNull())
    .addUniqueConstraint('uniq_identity_roles_name_domain', ['name', 'domain_id'])
    .execute();
  await db.schema
    .createTable('identity_implied_roles')
    .addColumn('prior_role_id', ID, (c) =>
      c.notNull().references('identity_roles.id').onDelete('cascade'),
    )
    .addColumn('implied_role_id', ID, (c) =>
      c.notNull().references('identity_roles.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('pk_identity_implied_roles', ['prior_role_id', 'implied_role_id'])
    .execute();
  await db.schema
    .createTable('identity_assignments')
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('actor_id', ID, (c) => c.notNull())
    .addColumn('target_id', ID, (c) => c.notNull())
    .addColumn('role_id', ID, (c) =>
      c.notNull().references('identity_roles.id').onDelete('cascade'),
    )
    .addColumn('inherited', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('pk_identity_assignments', [
      'type',
      'actor_id',
      'target_id',
      'role_id',
      'inherited',
    ])
    .execute();
  await db.schema
    .createIndex('ix_identity_assignments_actor')
    .on('identity_assignments')
    .column('actor_id')
    .execute();
  await db.schema
    .createIndex('ix_identity_assignments_target')
    .on('identity_assignments')
    .column('target_id')
    .execute();
}

async function createAppCredTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_app_creds')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('user_id', ID, (c) =>
      c.notNull().references('identity_users.id').onDelete('cascade'),
    )
    .addColumn('project_id', ID)
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('expires_at', TS)
    .addColumn('unrestricted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', TS, (c) => c.notNull())
    .addUniqueConstraint('uniq_identity_app_creds_user_name', ['user_id', 'name'])
    .execute();
  await db.schema
    .createTable('identity_app_cred_roles')
    .addColumn('app_cred_id', ID, (c) =>
      c.notNull().references('identity_app_creds.id').onDelete('cascade'),
    )
    .addColumn('role_id', ID, (c) =>
      c.notNull().references('identity_roles.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('pk_identity_app_cred_roles', ['app_cred_id', 'role_id'])
    .execute();
}

async function createCatalogTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('identity_services')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('type', 'varchar(255)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)')
    .addColumn('description', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createTable('identity_regions')
    .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('description', 'varchar(255)', (c) => c.notNull().defaultTo(''))
    .addColumn('parent_region_id', 'varchar(255)', (c) => c.references('identity_regions.id'))
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createTable('identity_endpoints')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('service_id', ID, (c) =>
      c.notNull().references('identity_services.id').onDelete('cascade'),
    )
    .addColumn('interface', 'varchar(8)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(255)', (c) => c.references('identity_regions.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

async function createRevocationTable(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('identity_revocation_events')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('user_id', ID)
    .addColumn('project_id', ID)
    .addColumn('audit_id', 'varchar(32)')
    .addColumn('audit_chain_id', 'varchar(32)')
    .addColumn('issued_before', TS, (c) => c.notNull())
    .addColumn('revoked_at', TS, (c) => c.notNull())
    .execute();
  for (const col of ['user_id', 'audit_id', 'audit_chain_id'] as const) {
    await db.schema
      .createIndex(`ix_identity_revocation_events_${col}`)
      .on('identity_revocation_events')
      .column(col)
      .execute();
  }
}

/** The identity service's schema. */
export const identityMigrations: MigrationSet = {
  service: 'identity',
  migrations: [
    {
      name: '0001_identity',
      async up(db, dialect) {
        await createResourceTables(db);
        await createActorTables(db);
        await createRoleTables(db);
        await createAppCredTables(db);
        await createCatalogTables(db);
        await createRevocationTable(db, dialect);
      },
    },
  ],
};
