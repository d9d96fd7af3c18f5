import { COMPUTE_SERVICE_BINARIES } from '../../service-binaries.js';
import { HostPolicy } from '../policies/host-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { RouteSpec } from '../routing/route-spec.js';
import { noParamsQueries } from '../schemas/flavor-schemas.js';
import { serviceUpdatedAt } from '../views/service-view.js';

/** os-availability-zone: zone names and states for anyone; hosts and services for admins. */
export function availabilityZoneRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/os-availability-zone',
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(HostPolicy.azList, {});
        const { available, unavailable } = deps.zones.zones(
          await deps.zones.withZones(await deps.services.list()),
        );
        const info = (zones: string[], ok: boolean) =>
          zones
            .filter((z) => z !== deps.zones.internalZone)
            .map((zoneName) => ({ zoneName, zoneState: { available: ok }, hosts: null }));
        return { availabilityZoneInfo: [...info(available, true), ...info(unavailable, false)] };
      },
    },
    {
      method: 'GET',
      path: '/os-availability-zone/detail',
      query: noParamsQueries,
      handler: async (call) => {
        call.authorize(HostPolicy.azDetail, {});
        const services = await deps.zones.withZones(await deps.services.list());
        const { available, unavailable } = deps.zones.zones(services);
        const result: unknown[] = [];
        for (const zone of available) {
          const hosts: Record<string, Record<string, unknown>> = {};
          for (const s of services) {
            if (s.disabled || s.zone !== zone || !COMPUTE_SERVICE_BINARIES.includes(s.binary))
              continue;
            (hosts[s.host] ??= {})[s.binary] = {
              available: s.up,
              active: !s.disabled,
              updated_at: serviceUpdatedAt(s),
            };
          }
          result.push({ zoneName: zone, zoneState: { available: true }, hosts });
        }
        for (const zone of unavailable) {
          result.push({ zoneName: zone, zoneState: { available: false }, hosts: null });
        }
        return { availabilityZoneInfo: result };
      },
    },
  ];
}
