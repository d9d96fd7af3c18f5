import type { ServiceRecord } from '../../../platform/service/service-registry.js';
import type { ZonedService } from '../zones/availability-zones.js';
import { field, VersionedView } from './versioned-view.js';

/** When the service was last heard of, in Nova's datetime form. */
export function serviceUpdatedAt(s: ServiceRecord): string | null {
  const d = s.lastSeenUp ?? s.updatedAt ?? s.createdAt;
  return d ? `${d.toISOString().slice(0, 23)}000` : null;
}

/** A service in os-services: integer ids until 2.52, uuids from 2.53; forced_down from 2.11. */
export const serviceView = new VersionedView<ZonedService>([
  field('id', ['2.0', '2.52'], (s) => s.id),
  field('id', ['2.53'], (s) => s.uuid),
  field('binary', [], (s) => s.binary),
  field('host', [], (s) => s.host),
  field('zone', [], (s) => s.zone),
  field('status', [], (s) => (s.disabled ? 'disabled' : 'enabled')),
  field('state', [], (s) => (s.up ? 'up' : 'down')),
  field('updated_at', [], (s) => serviceUpdatedAt(s)),
  field('disabled_reason', [], (s) => s.disabledReason),
  field('forced_down', ['2.11'], (s) => s.forcedDown),
]);
