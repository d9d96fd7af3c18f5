import type { Generated } from 'kysely';
import type { DbBoolean } from '../../platform/db/booleans.js';

/**
 * The compute "cell" database: compute nodes and instances with everything hanging off them,
 * in Nova's shapes (column names as upstream so the API renders them directly). Timestamps are
 * TEXT ISO (platform/db/timestamps.ts), booleans INTEGER 0/1, JSON TEXT.
 */

/** A hypervisor node, as the compute agent reports it. */
export interface ComputeNodesTable {
  id: Generated<number>;
  uuid: string;
  service_id: number | null;
  host: string;
  hypervisor_hostname: string;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  vcpus_used: number;
  memory_mb_used: number;
  local_gb_used: number;
  hypervisor_type: string;
  hypervisor_version: number;
  /** JSON. */
  cpu_info: string;
  disk_available_least: number | null;
  free_ram_mb: number;
  free_disk_gb: number;
  current_workload: number;
  running_vms: number;
  host_ip: string | null;
  /** JSON: [[arch, hv_type, vm_mode], ...]. */
  supported_instances: string;
  cpu_allocation_ratio: number;
  ram_allocation_ratio: number;
  disk_allocation_ratio: number;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: DbBoolean;
}

/** A server. */
export interface InstancesTable {
  id: Generated<number>;
  uuid: string;
  user_id: string;
  project_id: string;
  image_ref: string | null;
  hostname: string | null;
  launch_index: number;
  key_name: string | null;
  key_data: string | null;
  power_state: number;
  vm_state: string;
  task_state: string | null;
  memory_mb: number;
  vcpus: number;
  root_gb: number;
  ephemeral_gb: number;
  swap_mb: number;
  /** The compute host and node; null until scheduled. */
  host: string | null;
  node: string | null;
  flavor_id: string;
  /** JSON: the flavor as it was at boot (Nova's instance_extra.flavor). */
  flavor: string;
  user_data: string | null;
  reservation_id: string;
  launched_at: string | null;
  terminated_at: string | null;
  availability_zone: string | null;
  display_name: string;
  display_description: string | null;
  launched_on: string | null;
  locked: DbBoolean;
  locked_by: string | null;
  locked_reason: string | null;
  access_ip_v4: string | null;
  access_ip_v6: string | null;
  config_drive: string;
  progress: number;
  root_device_name: string | null;
  /** JSON: image properties copied at boot (Nova's system_metadata image_*). */
  image_meta: string;
  /** JSON: trusted_image_certificates (2.63), or null. */
  trusted_certs: string | null;
  /** JSON: the network info cache (ports, fixed IPs). */
  network_info: string;
  /** The build deadline: when a transitional task state is overdue (ms epoch ISO). */
  task_deadline: string | null;
  /** JSON: the RequestSpec the API built (pinned zone, scheduler hints); null before 0002. */
  request_spec: string | null;
  /** Grows with every change to the row or its metadata, tags, faults, fixed IPs (triggers). */
  revision: Generated<number>;
  created_at: string;
  updated_at: string | null;
  deleted_at: string | null;
  deleted: DbBoolean;
}

/** User metadata of a server (`metadata`). */
export interface InstanceMetadataTable {
  instance_uuid: string;
  key: string;
  value: string;
}

/** Server tags (2.26). */
export interface TagsTable {
  resource_id: string;
  tag: string;
}

/** Why a server went to ERROR (shown as `fault`). */
export interface InstanceFaultsTable {
  id: Generated<number>;
  instance_uuid: string;
  code: number;
  message: string;
  details: string | null;
  host: string | null;
  created_at: string;
}

/** One user-visible action on a server (os-instance-actions). */
export interface InstanceActionsTable {
  id: Generated<number>;
  action: string;
  instance_uuid: string;
  request_id: string;
  user_id: string | null;
  project_id: string | null;
  start_time: string;
  finish_time: string | null;
  message: string | null;
  created_at: string;
  updated_at: string | null;
}

/** One step of an action (e.g. compute__do_build_and_run_instance). */
export interface InstanceActionEventsTable {
  id: Generated<number>;
  action_id: number;
  event: string;
  start_time: string;
  finish_time: string | null;
  result: string | null;
  traceback: string | null;
  host: string | null;
  details: string | null;
  created_at: string;
  updated_at: string | null;
}

/** One fixed IP a NIC holds on the flat network (hard-deleted on release). */
export interface FixedIpsTable {
  id: Generated<number>;
  network_uuid: string;
  address: string;
  version: number;
  mac: string;
  /** The NIC (port) id; a NIC with IPv4 and IPv6 has two rows with one port id. */
  port_id: string;
  instance_uuid: string;
  /** The NIC's position among the instance's NICs. */
  nic_index: number;
  created_at: string;
}

/** The cell database. */
export interface CellDatabase {
  compute_nodes: ComputeNodesTable;
  instances: InstancesTable;
  instance_metadata: InstanceMetadataTable;
  tags: TagsTable;
  instance_faults: InstanceFaultsTable;
  instance_actions: InstanceActionsTable;
  instance_actions_events: InstanceActionEventsTable;
  fixed_ips: FixedIpsTable;
}
