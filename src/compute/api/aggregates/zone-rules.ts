import { BadRequestError, ConflictError, type StratusError } from '../../../common/errors.js';
import type { CellRecords } from '../store/cell-records.js';
import type { Aggregate, AggregateStore } from '../store/aggregate-store.js';
import { pyRepr } from '../validation/python-repr.js';
import { AZ_KEY } from '../zones/availability-zones.js';

/** The aggregate operation a zone rule guards, which decides the message and status. */
export type AggregateAction = 'add_host' | 'update' | 'update_metadata' | 'remove_host' | 'delete';

/** Upstream's InvalidAggregateAction* messages; adding or removing hosts answers 409, the rest 400. */
export function invalidAggregateAction(
  action: AggregateAction,
  id: number,
  reason: string,
): StratusError {
  switch (action) {
    case 'add_host':
      return new ConflictError(`Cannot add host to aggregate ${id}. Reason: ${reason}.`);
    case 'update':
      return new BadRequestError(`Cannot update aggregate ${id}. Reason: ${reason}.`);
    case 'update_metadata':
      return new BadRequestError(`Cannot update metadata of aggregate ${id}. Reason: ${reason}.`);
    case 'remove_host':
      return new ConflictError(`Cannot remove host from aggregate ${id}. Reason: ${reason}.`);
    case 'delete':
      return new BadRequestError(`Cannot remove host from aggregate ${id}. Reason: ${reason}.`);
  }
}

/**
 * The zone rules of upstream's is_safe_to_update_az: a zone may not be named empty, a host may
 * not end up in two zones, and (when asked) hosts with servers may not change zone.
 */
export async function checkZoneChange(
  aggregates: AggregateStore,
  cell: CellRecords,
  metadata: Record<string, string | null | undefined>,
  aggregate: Aggregate,
  opts: { hosts?: string[]; action: AggregateAction; checkServers: boolean },
): Promise<void> {
  if (!(AZ_KEY in metadata)) return;
  const zone = metadata[AZ_KEY];
  if (!zone) {
    throw invalidAggregateAction(
      opts.action,
      aggregate.id,
      `Aggregate ${aggregate.name} does not support empty named availability zone`,
    );
  }
  const hosts = opts.hosts ?? aggregate.hosts;
  const conflicting = (await aggregates.list())
    .filter((a) => a.id !== aggregate.id && a.hosts.some((h) => hosts.includes(h)))
    .map((a) => a.metadata[AZ_KEY])
    .filter((z): z is string => z !== undefined && z !== zone);
  if (conflicting.length > 0) {
    throw invalidAggregateAction(
      opts.action,
      aggregate.id,
      `One or more hosts already in availability zone(s) ${pyRepr(conflicting)}`,
    );
  }
  if (
    opts.checkServers &&
    aggregate.metadata[AZ_KEY] !== zone &&
    (await cell.countServersOn(hosts)) > 0
  ) {
    throw invalidAggregateAction(
      opts.action,
      aggregate.id,
      'One or more hosts contain instances in this zone',
    );
  }
}

/**
 * A host with servers may not change zone by joining or leaving an aggregate (servers keep the
 * zone they were scheduled to), as upstream's ensure_no_instances_need_to_move_az_* checks.
 */
export async function checkHostKeepsZone(
  aggregates: AggregateStore,
  cell: CellRecords,
  aggregate: Aggregate,
  host: string,
  joining: boolean,
): Promise<void> {
  const servers = await cell.countServersOn([host]);
  const zone = aggregate.metadata[AZ_KEY];
  if (servers === 0 || zone === undefined) return;
  const others = (await aggregates.byHost(host))
    .filter((a) => a.id !== aggregate.id)
    .map((a) => a.metadata[AZ_KEY])
    .filter((z): z is string => z !== undefined);
  const current = joining ? (others[0] ?? null) : zone;
  const next = joining ? zone : (others[0] ?? null);
  if (current !== next) {
    throw invalidAggregateAction(
      joining ? 'add_host' : 'remove_host',
      aggregate.id,
      `The host cannot be ${joining ? 'added to' : 'removed from'} the aggregate as the availability zone of the host would change from '${current}' to '${next}' but the host already has ${servers} instance(s). Changing the AZ of an existing instance is not supported by this action. Move the instances away from this host then try again. If you need to move the instances between AZs then you can use shelve_offload and unshelve to achieve this`,
    );
  }
}
