import type { ServiceRecord } from '../../../platform/service/service-registry.js';
import { COMPUTE_SERVICE_BINARIES, COMPUTE_TOPIC } from '../../service-binaries.js';
import type { AggregateStore } from '../store/aggregate-store.js';

/** A service with the availability zone it is in. */
export type ZonedService = ServiceRecord & { zone: string };

/** The aggregate metadata key that makes an aggregate an availability zone. */
export const AZ_KEY = 'availability_zone';

/**
 * Availability zones as Nova derives them: a compute host is in the zones of the aggregates it
 * belongs to that carry `availability_zone` metadata (joined with commas if several), else in
 * `[DEFAULT] default_availability_zone`; every other service is in the internal zone.
 */
export class AvailabilityZones {
  constructor(
    private readonly aggregates: AggregateStore,
    readonly defaultZone: string,
    readonly internalZone: string,
  ) {}

  /** Host → the zones its aggregates name. */
  async zonesByHost(): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    for (const agg of await this.aggregates.list()) {
      const az = agg.metadata[AZ_KEY];
      if (az === undefined) continue;
      for (const host of agg.hosts) (out.get(host) ?? out.set(host, new Set()).get(host)!).add(az);
    }
    return out;
  }

  /** The compute services, conductors and schedulers with their zones. */
  async withZones(services: readonly ServiceRecord[]): Promise<ZonedService[]> {
    const byHost = await this.zonesByHost();
    return services
      .filter((s) => COMPUTE_SERVICE_BINARIES.includes(s.binary))
      .map((s) => {
        if (s.topic !== COMPUTE_TOPIC) return { ...s, zone: this.internalZone };
        const zones = byHost.get(s.host);
        return { ...s, zone: zones?.size ? [...zones].sort().join(',') : this.defaultZone };
      });
  }

  /** The zone of a compute host: its first zoned aggregate's, else the default. */
  async hostZone(host: string): Promise<string> {
    const zones = (await this.zonesByHost()).get(host);
    return zones?.size ? [...zones][0]! : this.defaultZone;
  }

  /**
   * Zones with an enabled service (available) and zones whose services are all disabled (not
   * available), each sorted, as upstream's get_availability_zones.
   */
  zones(services: readonly ZonedService[]): { available: string[]; unavailable: string[] } {
    const available = new Set(services.filter((s) => !s.disabled).map((s) => s.zone));
    const unavailable = new Set(
      services.filter((s) => s.disabled && !available.has(s.zone)).map((s) => s.zone),
    );
    return { available: [...available].sort(), unavailable: [...unavailable].sort() };
  }
}
