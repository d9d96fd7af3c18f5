/**
 * Shared fixtures for compute tests below the API: a flavor, a request spec for it, and a new
 * instance row as the API would write it (building/scheduling, no host).
 */
import {
  resourcesFromFlavor,
  type FlavorSnapshot,
  type RequestSpec,
} from '../../src/compute/request-spec.js';

/** m1.tiny as the instance keeps it. */
export const TINY_FLAVOR: FlavorSnapshot = {
  id: '1',
  name: 'm1.tiny',
  vcpus: 1,
  memoryMb: 512,
  rootGb: 1,
  ephemeralGb: 0,
  swapMb: 0,
  extraSpecs: {},
  description: null,
};

/** A request spec for one instance of `flavor` in project p1. */
export function requestSpecFor(flavor: FlavorSnapshot = TINY_FLAVOR): RequestSpec {
  return {
    projectId: 'p1',
    userId: 'u1',
    flavor,
    image: { id: null, properties: {} },
    availabilityZone: null,
    forceHosts: [],
    forceNodes: [],
    schedulerHints: {},
    group: null,
    numInstances: 1,
    resources: resourcesFromFlavor(flavor),
    requiredTraits: [],
    memberOf: [],
  };
}

/** A new instance row (building, scheduling) for InstanceStore.create. */
export function newInstanceRow(uuid: string, overrides: Record<string, unknown> = {}) {
  return {
    uuid,
    user_id: 'u1',
    project_id: 'p1',
    image_ref: null,
    hostname: 'vm',
    launch_index: 0,
    key_name: null,
    key_data: null,
    power_state: 0,
    vm_state: 'building',
    task_state: 'scheduling' as string | null,
    memory_mb: TINY_FLAVOR.memoryMb,
    vcpus: TINY_FLAVOR.vcpus,
    root_gb: TINY_FLAVOR.rootGb,
    ephemeral_gb: 0,
    swap_mb: 0,
    host: null,
    node: null,
    flavor_id: TINY_FLAVOR.id,
    flavor: JSON.stringify(TINY_FLAVOR),
    user_data: null,
    reservation_id: 'r-test',
    launched_at: null,
    terminated_at: null,
    availability_zone: null,
    display_name: 'vm',
    display_description: null,
    launched_on: null,
    locked: 0 as const,
    locked_by: null,
    locked_reason: null,
    access_ip_v4: null,
    access_ip_v6: null,
    config_drive: '',
    progress: 0,
    root_device_name: null,
    image_meta: '{}',
    trusted_certs: null,
    network_info: '[]',
    task_deadline: null,
    ...overrides,
  };
}
