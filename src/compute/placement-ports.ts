/**
 * What the compute parts need from Placement, as ports the Placement client fills: claims for
 * the conductor and agents, allocation candidates for the scheduler.
 */

export interface PlacementClaims {
  /**
   * Claims allocations for a new consumer; false when they no longer fit (a concurrent claim
   * won), any other failure throws.
   */
  claim(
    consumerUuid: string,
    allocations: Record<string, { resources: Record<string, number> }>,
    projectId: string,
    userId: string,
  ): Promise<boolean>;
  /** Removes every allocation of a consumer; succeeds when there is none. */
  release(consumerUuid: string): Promise<void>;
}

/** One allocation request of Placement's GET /allocation_candidates (microversion 1.34+). */
export interface AllocationRequest {
  allocations: Record<string, { resources: Record<string, number> }>;
}

/** A provider summary of GET /allocation_candidates. */
export interface ProviderSummary {
  resources: Record<string, { capacity: number; used: number }>;
  traits?: string[];
  root_provider_uuid?: string;
  parent_provider_uuid?: string | null;
}

/** The query the scheduler sends to Placement. */
export interface CandidateQuery {
  resources: Record<string, number>;
  /** Required and forbidden (`!X`) traits. */
  required: string[];
  /** Each inner list is one `member_of=in:a,b` filter. */
  memberOf: string[][];
  inTree?: string;
  limit: number;
}

/** What the scheduler needs from Placement; the Placement client provides it. */
export interface PlacementCandidates {
  allocationCandidates(q: CandidateQuery): Promise<{
    allocationRequests: AllocationRequest[];
    providerSummaries: Record<string, ProviderSummary>;
  }>;
}

/** One inventory record of a resource provider, in Placement's shape. */
export interface InventoryRecord {
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

/** What a compute agent needs from Placement to report its nodes as resource providers. */
export interface PlacementReporter {
  /** Creates the provider (uuid and name) unless it exists. */
  ensureProvider(uuid: string, name: string): Promise<void>;
  /** Replaces the provider's inventory, retrying on generation conflicts. */
  setInventory(uuid: string, inventories: Record<string, InventoryRecord>): Promise<void>;
  /** Replaces the provider's traits (custom ones created as needed). */
  setTraits(uuid: string, traits: string[]): Promise<void>;
}
