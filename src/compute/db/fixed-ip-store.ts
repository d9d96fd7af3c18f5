import { randomBytes, randomInt } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import { NotFoundError } from '../../common/errors.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { now } from '../../platform/db/timestamps.js';
import type { FlatNetwork } from '../flat-network.js';
import { bigIntToIp, canonicalIp, eui64Address } from '../ip-address.js';
import {
  FixedIpAlreadyInUseError,
  NetworkNotFoundError,
  NoMoreFixedIpsError,
  fixedIpInUseMessage,
} from '../network-errors.js';
import type { NicRequest, SubnetInfo, VifInfo } from '../network-info.js';
import type { CellDatabase, FixedIpsTable } from './cell-tables.js';

/** Attempts of one allocation when concurrent allocations took the addresses it picked. */
const MAX_ATTEMPTS = 20;
/** After a collision, an address is picked at random among this many lowest free ones. */
const SPREAD = 32;

type FixedIpRow = Selectable<FixedIpsTable>;

/** A MAC with Neutron's base_mac prefix fa:16:3e and three random bytes. */
export function randomMac(): string {
  return [
    'fa',
    '16',
    '3e',
    ...[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')),
  ].join(':');
}

/**
 * Fixed IPs of the flat network in the cell database. An allocation writes every NIC's rows
 * and the instance's network_info in one transaction; the unique index on (network, address)
 * decides races, and the loser picks again. A release deletes the rows.
 */
export class FixedIpStore {
  private readonly db: Kysely<CellDatabase>;

  constructor(
    database: Database,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {
    this.db = database.kysely as Kysely<CellDatabase>;
  }

  /**
   * Gives the instance one NIC per request and records its network_info. Idempotent: an
   * instance that already holds addresses gets them back. Throws NetworkNotFoundError for a
   * network other than the flat one, FixedIpAlreadyInUseError, NoMoreFixedIpsError, or
   * NotFoundError when the instance is gone.
   */
  async allocate(
    instanceUuid: string,
    nics: readonly NicRequest[],
    net: FlatNetwork,
  ): Promise<VifInfo[]> {
    if (nics.length === 0) return [];
    for (const nic of nics) {
      if (nic.networkUuid.toLowerCase() !== net.uuid)
        throw new NetworkNotFoundError(`Network ${nic.networkUuid} could not be found.`);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const mine = await trx
            .selectFrom('fixed_ips')
            .selectAll()
            .where('instance_uuid', '=', instanceUuid)
            .execute();
          if (mine.length) return vifsOf(mine, net);
          const taken = new Map(
            (
              await trx
                .selectFrom('fixed_ips')
                .select(['address', 'instance_uuid'])
                .where('network_uuid', '=', net.uuid)
                .where('version', '=', 4)
                .execute()
            ).map((r) => [r.address, r.instance_uuid]),
          );
          const rows: Omit<FixedIpRow, 'id'>[] = [];
          const created_at = now(this.clock);
          nics.forEach((nic, index) => {
            let address: string;
            if (nic.fixedIp) {
              address = canonicalIp(nic.fixedIp);
              const holder = taken.get(address);
              if (holder !== undefined)
                throw new FixedIpAlreadyInUseError(fixedIpInUseMessage(address, holder));
            } else {
              address = pick(net, taken, attempt > 0);
            }
            taken.set(address, instanceUuid);
            const mac = randomMac();
            const base = {
              network_uuid: net.uuid,
              mac,
              port_id: this.ids.uuid(),
              instance_uuid: instanceUuid,
              nic_index: index,
              created_at,
            };
            rows.push({ ...base, address, version: 4 });
            if (net.v6)
              rows.push({
                ...base,
                address: bigIntToIp(eui64Address(net.v6.cidr, mac), 6),
                version: 6,
              });
          });
          await trx.insertInto('fixed_ips').values(rows).execute();
          const vifs = vifsOf(rows, net);
          const updated = await trx
            .updateTable('instances')
            .set({ network_info: JSON.stringify(vifs), updated_at: created_at })
            .where('uuid', '=', instanceUuid)
            .where('deleted', '=', 0)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) === 0)
            throw new NotFoundError(`Instance ${instanceUuid} could not be found.`, {
              code: 'compute.instance_not_found',
            });
          return vifs;
        });
      } catch (err) {
        // A concurrent allocation took an address (or, rarely, a MAC) first: pick again.
        if (isUniqueViolation(err) && attempt + 1 < MAX_ATTEMPTS) continue;
        throw err;
      }
    }
  }

  /** Gives back every address of an instance and empties its network_info. */
  async release(instanceUuid: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('fixed_ips').where('instance_uuid', '=', instanceUuid).execute();
      await trx
        .updateTable('instances')
        .set({ network_info: '[]' })
        .where('uuid', '=', instanceUuid)
        .where('network_info', '!=', '[]')
        .execute();
    });
  }

  /** The instance holding an address on a network, if any. */
  async holder(networkUuid: string, address: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('fixed_ips')
      .select('instance_uuid')
      .where('network_uuid', '=', networkUuid.toLowerCase())
      .where('address', '=', canonicalIp(address))
      .executeTakeFirst();
    return row?.instance_uuid;
  }

  /** The addresses an instance holds, NICs in order. */
  async ofInstance(
    instanceUuid: string,
  ): Promise<{ address: string; mac: string; version: number }[]> {
    return this.db
      .selectFrom('fixed_ips')
      .select(['address', 'mac', 'version'])
      .where('instance_uuid', '=', instanceUuid)
      .orderBy('nic_index')
      .orderBy('version')
      .execute();
  }
}

/** A free pool address: the lowest, or after a collision a random one of the lowest free. */
function pick(net: FlatNetwork, taken: ReadonlyMap<string, string>, spread: boolean): string {
  const free: string[] = [];
  for (const n of net.pool()) {
    const text = net.v4Text(n);
    if (taken.has(text)) continue;
    free.push(text);
    if (!spread || free.length >= SPREAD) break;
  }
  if (free.length === 0)
    throw new NoMoreFixedIpsError(`No fixed IP addresses available for network: ${net.uuid}`);
  return spread ? free[randomInt(free.length)]! : free[0]!;
}

/** The network_info entries of fixed IP rows, one VIF per port in NIC order. */
function vifsOf(rows: readonly Omit<FixedIpRow, 'id'>[], net: FlatNetwork): VifInfo[] {
  const ports = new Map<string, Omit<FixedIpRow, 'id'>[]>();
  for (const r of [...rows].sort((a, b) => a.nic_index - b.nic_index || a.version - b.version)) {
    (ports.get(r.port_id) ?? ports.set(r.port_id, []).get(r.port_id)!).push(r);
  }
  return [...ports.entries()].map(([portId, ips]) => {
    const subnets: SubnetInfo[] = [];
    for (const ip of ips) {
      const version = ip.version === 6 ? 6 : 4;
      const subnet = version === 6 ? net.v6 : net.v4;
      if (!subnet) continue;
      subnets.push({
        cidr: subnet.cidr.text,
        gateway: { address: bigIntToIp(subnet.gateway, version), type: 'gateway', version },
        ips: [{ address: ip.address, type: 'fixed', version, floating_ips: [] }],
        version,
        dns: [],
        routes: [],
      });
    }
    return {
      id: portId,
      address: ips[0]!.mac,
      type: 'bridge',
      devname: `tap${portId.slice(0, 11)}`,
      vnic_type: 'normal',
      active: true,
      preserve_on_delete: false,
      network: { id: net.uuid, label: net.label, subnets },
    };
  });
}
