import { sql } from 'kysely';
import type { MigrationSet } from '../../platform/db/database.js';
import { autoId, autoIdType } from './auto-id.js';
import { instanceRevisionTriggers } from './instance-revision.js';

const ts = 'varchar(32)';

/** The cell database's schema (compute nodes, instances and what hangs off them). */
export const cellMigrations: MigrationSet = {
  service: 'compute_cell',
  migrations: [
    {
      name: '0001_compute_nodes_and_instances',
      async up(db, dialect) {
        await db.schema
          .createTable('compute_nodes')
          .addColumn('id', autoIdType(dialect), autoId(dialect))
          .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
          .addColumn('service_id', 'integer')
          .addColumn('host', 'varchar(255)', (c) => c.notNull())
          .addColumn('hypervisor_hostname', 'varchar(255)', (c) => c.notNull())
          .addColumn('vcpus', 'integer', (c) => c.notNull())
          .addColumn('memory_mb', 'integer', (c) => c.notNull())
          .addColumn('local_gb', 'integer', (c) => c.notNull())
          .addColumn('vcpus_used', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('memory_mb_used', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('local_gb_used', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('hypervisor_type', 'varchar(255)', (c) => c.notNull())
          .addColumn('hypervisor_version', 'integer', (c) => c.notNull())
          .addColumn('cpu_info', 'text', (c) => c.notNull())
          .addColumn('disk_available_least', 'integer')
          .addColumn('free_ram_mb', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('free_disk_gb', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('current_workload', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('running_vms', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('host_ip', 'varchar(64)')
          .addColumn('supported_instances', 'text', (c) => c.notNull())
          .addColumn('cpu_allocation_ratio', 'real', (c) => c.notNull())
          .addColumn('ram_allocation_ratio', 'real', (c) => c.notNull())
          .addColumn('disk_allocation_ratio', 'real', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts)
          .addColumn('deleted_at', ts)
          .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createIndex('compute_nodes_host_node_idx')
          .on('compute_nodes')
          .columns(['host', 'hypervisor_hostname'])
          .execute();

        await db.schema
          .createTable('instances')
          .addColumn('id', autoIdType(dialect), autoId(dialect))
          .addColumn('uuid', 'varchar(36)', (c) => c.notNull().unique())
          .addColumn('user_id', 'varchar(255)', (c) => c.notNull())
          .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
          .addColumn('image_ref', 'varchar(255)')
          .addColumn('hostname', 'varchar(255)')
          .addColumn('launch_index', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('key_name', 'varchar(255)')
          .addColumn('key_data', 'text')
          .addColumn('power_state', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('vm_state', 'varchar(255)', (c) => c.notNull())
          .addColumn('task_state', 'varchar(255)')
          .addColumn('memory_mb', 'integer', (c) => c.notNull())
          .addColumn('vcpus', 'integer', (c) => c.notNull())
          .addColumn('root_gb', 'integer', (c) => c.notNull())
          .addColumn('ephemeral_gb', 'integer', (c) => c.notNull())
          .addColumn('swap_mb', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('host', 'varchar(255)')
          .addColumn('node', 'varchar(255)')
          .addColumn('flavor_id', 'varchar(255)', (c) => c.notNull())
          .addColumn('flavor', 'text', (c) => c.notNull())
          .addColumn('user_data', 'text')
          .addColumn('reservation_id', 'varchar(255)', (c) => c.notNull())
          .addColumn('launched_at', ts)
          .addColumn('terminated_at', ts)
          .addColumn('availability_zone', 'varchar(255)')
          .addColumn('display_name', 'varchar(255)', (c) => c.notNull())
          .addColumn('display_description', 'text')
          .addColumn('launched_on', 'varchar(255)')
          .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_by', 'varchar(255)')
          .addColumn('locked_reason', 'text')
          .addColumn('access_ip_v4', 'varchar(39)')
          .addColumn('access_ip_v6', 'varchar(39)')
          .addColumn('config_drive', 'varchar(255)', (c) => c.notNull().defaultTo(''))
          .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('root_device_name', 'varchar(255)')
          .addColumn('image_meta', 'text', (c) => c.notNull())
          .addColumn('trusted_certs', 'text')
          .addColumn('network_info', 'text', (c) => c.notNull())
          .addColumn('task_deadline', ts)
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts)
          .addColumn('deleted_at', ts)
          .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        for (const cols of [
          ['project_id', 'deleted'],
          ['host', 'deleted'],
          ['reservation_id'],
          ['updated_at'],
          ['created_at'],
        ]) {
          await db.schema
            .createIndex(`instances_${cols.join('_')}_idx`)
            .on('instances')
            .columns(cols)
            .execute();
        }

        await db.schema
          .createTable('instance_metadata')
          .addColumn('instance_uuid', 'varchar(36)', (c) =>
            c.notNull().references('instances.uuid').onDelete('cascade'),
          )
          .addColumn('key', 'varchar(255)', (c) => c.notNull())
          .addColumn('value', 'varchar(255)', (c) => c.notNull())
          .addPrimaryKeyConstraint('instance_metadata_pk', ['instance_uuid', 'key'])
          .execute();
        await db.schema
          .createTable('tags')
          .addColumn('resource_id', 'varchar(36)', (c) => c.notNull())
          .addColumn('tag', 'varchar(80)', (c) => c.notNull())
          .addPrimaryKeyConstraint('tags_pk', ['resource_id', 'tag'])
          .execute();
        await db.schema.createIndex('tags_tag_idx').on('tags').column('tag').execute();
        await db.schema
          .createTable('instance_faults')
          .addColumn('id', autoIdType(dialect), autoId(dialect))
          .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
          .addColumn('code', 'integer', (c) => c.notNull())
          .addColumn('message', 'varchar(255)', (c) => c.notNull())
          .addColumn('details', 'text')
          .addColumn('host', 'varchar(255)')
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('instance_faults_uuid_idx')
          .on('instance_faults')
          .column('instance_uuid')
          .execute();
        await db.schema
          .createTable('instance_actions')
          .addColumn('id', autoIdType(dialect), autoId(dialect))
          .addColumn('action', 'varchar(255)', (c) => c.notNull())
          .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
          .addColumn('request_id', 'varchar(255)', (c) => c.notNull())
          .addColumn('user_id', 'varchar(255)')
          .addColumn('project_id', 'varchar(255)')
          .addColumn('start_time', ts, (c) => c.notNull())
          .addColumn('finish_time', ts)
          .addColumn('message', 'varchar(255)')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts)
          .execute();
        await db.schema
          .createIndex('instance_actions_uuid_req_idx')
          .on('instance_actions')
          .columns(['instance_uuid', 'request_id'])
          .execute();
        await db.schema
          .createTable('instance_actions_events')
          .addColumn('id', autoIdType(dialect), autoId(dialect))
          .addColumn('action_id', 'integer', (c) =>
            c.notNull().references('instance_actions.id').onDelete('cascade'),
          )
          .addColumn('event', 'varchar(255)', (c) => c.notNull())
          .addColumn('start_time', ts, (c) => c.notNull())
          .addColumn('finish_time', ts)
          .addColumn('result', 'varchar(255)')
          .addColumn('traceback', 'text')
          .addColumn('host', 'varchar(255)')
          .addColumn('details', 'text')
          .addColumn('created_at', ts, (c) => c.notNull())
          .addColumn('updated_at', ts)
          .execute();
        await db.schema
          .createIndex('instance_actions_events_action_idx')
          .on('instance_actions_events')
          .column('action_id')
          .execute();
      },
    },
    {
      // The request spec the API built (requested zone, scheduler hints, group): what Nova
      // keeps in request_specs, here beside the instance it belongs to.
      name: '0002_instance_request_spec',
      async up(db) {
        await db.schema.alterTable('instances').addColumn('request_spec', 'text').execute();
      },
    },
    {
      // Fixed IPs of the flat network: one row per address a NIC holds. The unique indexes are
      // what keeps two concurrent allocations from handing out one address (or one MAC).
      name: '0003_fixed_ips',
      async up(db, dialect) {
        await db.schema
          .createTable('fixed_ips')
          .addColumn('id', autoIdType(dialect), autoId(dialect))
          .addColumn('network_uuid', 'varchar(36)', (c) => c.notNull())
          .addColumn('address', 'varchar(39)', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('mac', 'varchar(17)', (c) => c.notNull())
          .addColumn('port_id', 'varchar(36)', (c) => c.notNull())
          .addColumn('instance_uuid', 'varchar(36)', (c) => c.notNull())
          .addColumn('nic_index', 'integer', (c) => c.notNull())
          .addColumn('created_at', ts, (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('fixed_ips_network_address_uq')
          .on('fixed_ips')
          .columns(['network_uuid', 'address'])
          .unique()
          .execute();
        await db.schema
          .createIndex('fixed_ips_network_version_mac_uq')
          .on('fixed_ips')
          .columns(['network_uuid', 'version', 'mac'])
          .unique()
          .execute();
        await db.schema
          .createIndex('fixed_ips_instance_idx')
          .on('fixed_ips')
          .column('instance_uuid')
          .execute();
      },
    },
    {
      // instances.revision changes with anything a server's body shows (see instance-revision.ts);
      // triggers keep it, so no write path can forget to.
      name: '0004_instance_revision',
      async up(db, dialect) {
        await db.schema
          .alterTable('instances')
          .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        for (const statement of instanceRevisionTriggers(dialect))
          await sql.raw(statement).execute(db);
      },
    },
    {
      // Listings are a project's live servers newest first: the index gives a page without
      // sorting every row of the project.
      name: '0005_instances_listing_index',
      async up(db) {
        await db.schema
          .createIndex('instances_project_id_deleted_created_at_idx')
          .on('instances')
          .columns(['project_id', 'deleted', 'created_at'])
          .execute();
      },
    },
  ],
};
