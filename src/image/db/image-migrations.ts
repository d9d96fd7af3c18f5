import type { MigrationSet } from '../../platform/db/database.js';

/**
 * The image service's schema. Names follow Glance's tables; children are removed with their
 * image while the image row itself is soft-deleted (Glance never reuses a deleted image's id).
 * Sizes are bigint: images pass 2 GiB.
 */
export const imageMigrations: MigrationSet = {
  service: 'image',
  migrations: [
    {
      name: '0001_images',
      async up(db) {
        await db.schema
          .createTable('images')
          .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
          .addColumn('name', 'varchar(255)')
          .addColumn('size', 'bigint')
          .addColumn('virtual_size', 'bigint')
          .addColumn('status', 'varchar(30)', (c) => c.notNull())
          .addColumn('visibility', 'varchar(20)', (c) => c.notNull())
          .addColumn('checksum', 'varchar(32)')
          .addColumn('os_hash_algo', 'varchar(64)')
          .addColumn('os_hash_value', 'varchar(128)')
          .addColumn('min_disk', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('min_ram', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('owner', 'varchar(255)')
          .addColumn('protected', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('os_hidden', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('disk_format', 'varchar(20)')
          .addColumn('container_format', 'varchar(20)')
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('deleted_at', 'varchar(32)')
          .addColumn('location', 'text')
          .addColumn('worker_host', 'varchar(255)')
          .addColumn('last_error', 'text')
          .execute();
        for (const col of ['owner', 'visibility', 'status', 'checksum', 'os_hash_value']) {
          await db.schema.createIndex(`ix_images_${col}`).on('images').column(col).execute();
        }
        await db.schema
          .createTable('image_properties')
          .addColumn('image_id', 'varchar(36)', (c) =>
            c.notNull().references('images.id').onDelete('cascade'),
          )
          .addColumn('name', 'varchar(255)', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('image_properties_pkey', ['image_id', 'name'])
          .execute();
        await db.schema
          .createIndex('ix_image_properties_name')
          .on('image_properties')
          .columns(['name'])
          .execute();
        await db.schema
          .createTable('image_tags')
          .addColumn('image_id', 'varchar(36)', (c) =>
            c.notNull().references('images.id').onDelete('cascade'),
          )
          .addColumn('value', 'varchar(255)', (c) => c.notNull())
          .addPrimaryKeyConstraint('image_tags_pkey', ['image_id', 'value'])
          .execute();
        await db.schema
          .createIndex('ix_image_tags_value')
          .on('image_tags')
          .column('value')
          .execute();
        await db.schema
          .createTable('image_members')
          .addColumn('image_id', 'varchar(36)', (c) =>
            c.notNull().references('images.id').onDelete('cascade'),
          )
          .addColumn('member', 'varchar(255)', (c) => c.notNull())
          .addColumn('status', 'varchar(20)', (c) => c.notNull())
          .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
          .addPrimaryKeyConstraint('image_members_pkey', ['image_id', 'member'])
          .execute();
        await db.schema
          .createIndex('ix_image_members_member')
          .on('image_members')
          .column('member')
          .execute();
      },
    },
  ],
};
