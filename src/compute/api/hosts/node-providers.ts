import type { Logger } from 'pino';
import type { ComputeNode } from '../store/cell-records.js';

/** The Placement call deleting a compute node's providers (PlacementClient has it). */
export interface ProviderTreeDeletion {
  deleteProviderTree(uuid: string): Promise<{ deleted: string[]; inUse: string[] }>;
}

/**
 * Removes the resource providers of a deleted compute service's nodes from Placement, as
 * nova-api's service delete does through the report client (delete_resource_provider with
 * cascade): a node's provider has the node's uuid, and its child providers go first.
 *
 * Nova's cascade first deletes the allocations of the instances on the node; the API refuses
 * to delete a service whose host has instances, so there are none to delete here (Stratus has
 * no evacuations, whose source allocations Nova also removes). A failure never fails the
 * request (upstream logs it too): the provider is left for the operator.
 */
export class NodeProviders {
  constructor(
    private readonly placement: ProviderTreeDeletion | undefined,
    private readonly logger: Logger,
  ) {}

  /** Deletes the providers of these nodes. */
  async remove(nodes: readonly ComputeNode[]): Promise<void> {
    const placement = this.placement;
    if (!placement) return;
    for (const node of nodes) {
      try {
        const { inUse } = await placement.deleteProviderTree(node.uuid);
        if (inUse.length) {
          this.logger.warn(
            { host: node.host, node: node.hypervisor_hostname, providers: inUse },
            'resource providers of the deleted compute node still have allocations: kept',
          );
        }
      } catch (err) {
        this.logger.error(
          { host: node.host, node: node.hypervisor_hostname, err },
          `failed to delete the resource provider of compute node ${node.uuid}`,
        );
      }
    }
  }
}
