/** The binary a compute agent registers under (nova-compute upstream). */
export const COMPUTE_BINARY = 'stratus-compute';

/** The bus topic compute agents heartbeat with (a service's topic is its module name). */
export const COMPUTE_TOPIC = 'compute';

/**
 * The services the compute API lists in os-services and the availability zone details: the
 * compute agents, conductors and schedulers, as nova lists its own services. The APIs (as
 * upstream hides nova-osapi_compute and nova-metadata) and the other clouds' services
 * (identity, image, placement) are not compute services.
 */
export const COMPUTE_SERVICE_BINARIES: readonly string[] = [
  'stratus-compute',
  'stratus-conductor',
  'stratus-scheduler',
];
