import type { Logger } from 'pino';
import type { CellRecords } from '../store/cell-records.js';

/** The Placement calls the mirror makes (PlacementClient has them). */
export interface ProviderAggregates {
  addProviderAggregate(providerUuid: string, aggregateUuid: string): Promise<boolean>;
  removeProviderAggregate(providerUuid: string, aggregateUuid: string): Promise<boolean>;
}

/**
 * Mirrors host aggregate membership into Placement, as nova-api's AggregateAPI does through
 * the report client: the aggregate's uuid goes on the resource providers of the host's compute
 * nodes (a node's provider has the node's uuid), so `member_of` finds them. Upstream mirrors the
 * host's first node only; every node of the host is mirrored here. A failure never fails the
 * API request (upstream logs it too): the membership in the API database is what counts.
 */
export class AggregateMirror {
  constructor(
    private readonly placement: ProviderAggregates | undefined,
    private readonly cell: CellRecords,
    private readonly logger: Logger,
  ) {}

  /** After a host joined an aggregate. */
  async hostAdded(aggregateUuid: string, host: string): Promise<void> {
    await this.each(aggregateUuid, host, 'add', (p, rp) =>
      p.addProviderAggregate(rp, aggregateUuid),
    );
  }

  /** After a host left an aggregate. */
  async hostRemoved(aggregateUuid: string, host: string): Promise<void> {
    await this.each(aggregateUuid, host, 'remove', (p, rp) =>
      p.removeProviderAggregate(rp, aggregateUuid),
    );
  }

  private async each(
    aggregateUuid: string,
    host: string,
    action: string,
    fn: (p: ProviderAggregates, providerUuid: string) => Promise<boolean>,
  ): Promise<void> {
    const placement = this.placement;
    if (!placement) return;
    for (const node of await this.cell.nodesOn(host)) {
      try {
        if (!(await fn(placement, node.uuid))) {
          this.logger.warn(
            { host, node: node.hypervisor_hostname, aggregate: aggregateUuid },
            `no resource provider for the node: aggregate ${action} not mirrored in Placement`,
          );
        }
      } catch (err) {
        this.logger.warn(
          { host, node: node.hypervisor_hostname, aggregate: aggregateUuid, err },
          `aggregate ${action} not mirrored in Placement`,
        );
      }
    }
  }
}
