import { ConflictError, ServiceUnavailableError, StratusError } from '../common/errors.js';
import type { ServiceResponse, ServiceSession } from '../platform/auth/service-session.js';

/** The microversion this client speaks (consumer generations 1.28, mappings 1.34, in_tree 1.31). */
export const PLACEMENT_CLIENT_VERSION = '1.36';

const HEADERS = { 'openstack-api-version': `placement ${PLACEMENT_CLIENT_VERSION}` };

/** An inventory record in Placement's shape. */
export interface PlacementInventory {
  total: number;
  reserved: number;
  min_unit: number;
  max_unit: number;
  step_size: number;
  allocation_ratio: number;
}

/** Allocations keyed by resource provider uuid. */
export type PlacementAllocations = Record<string, { resources: Record<string, number> }>;

function errorCode(res: ServiceResponse): string | undefined {
  return (res.body as { errors?: { code?: string }[] } | null)?.errors?.[0]?.code;
}

/**
 * Whether a `placement.concurrent_update` is about the consumer's generation rather than a
 * provider's: Placement uses one code for both, and Nova's report client tells them apart by
 * the detail too.
 */
function isConsumerConflict(res: ServiceResponse): boolean {
  const detail = (res.body as { errors?: { detail?: string }[] } | null)?.errors?.[0]?.detail;
  return detail?.includes('consumer generation conflict') ?? false;
}

function failure(what: string, res: ServiceResponse): StratusError {
  const detail = (res.body as { errors?: { detail?: string }[] } | null)?.errors?.[0]?.detail ?? '';
  if (res.status === 409)
    return new ConflictError(`${what}: ${detail}`, {
      code: errorCode(res) ?? 'placement.conflict',
    });
  return new ServiceUnavailableError(`${what} failed with ${res.status}: ${detail}`.trim());
}

/**
 * The Placement client the scheduler, conductor and compute agents use (as Nova's report
 * client): report providers, inventories and traits with retries on generation conflicts, get
 * allocation candidates, claim and release allocations.
 */
export class PlacementClient {
  constructor(
    private readonly session: ServiceSession,
    private readonly retries = 4,
  ) {}

  private call(method: string, path: string, body?: unknown): Promise<ServiceResponse> {
    return this.session.request('placement', method, path, {
      ...(body !== undefined ? { body } : {}),
      headers: HEADERS,
    });
  }

  private async generation(uuid: string): Promise<number> {
    const res = await this.call('GET', `/resource_providers/${uuid}`);
    if (res.status !== 200) throw failure(`reading resource provider ${uuid}`, res);
    return (res.body as { generation: number }).generation;
  }

  /**
   * PUTs a generation-checked sub-resource of a provider (inventories, traits, aggregates),
   * re-reading the generation and retrying after `placement.concurrent_update`.
   */
  private async putWithGeneration(
    uuid: string,
    subresource: 'inventories' | 'traits' | 'aggregates',
    body: Record<string, unknown>,
    what: string,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const generation = await this.generation(uuid);
      const res = await this.call('PUT', `/resource_providers/${uuid}/${subresource}`, {
        ...body,
        resource_provider_generation: generation,
      });
      if (res.status === 200) return;
      const conflict = res.status === 409 && errorCode(res) === 'placement.concurrent_update';
      if (conflict && attempt < this.retries) continue;
      throw failure(`setting ${what} of ${uuid}`, res);
    }
  }

  /** Creates the provider unless one with this uuid exists. */
  async ensureProvider(uuid: string, name: string): Promise<void> {
    const existing = await this.call('GET', `/resource_providers/${uuid}`);
    if (existing.status === 200) return;
    const res = await this.call('POST', '/resource_providers', { uuid, name });
    if (res.status === 200 || res.status === 201) return;
    // Created by a concurrent report of the same node.
    if (
      res.status === 409 &&
      (await this.call('GET', `/resource_providers/${uuid}`)).status === 200
    )
      return;
    throw failure(`creating resource provider ${name}`, res);
  }

  /** Deletes a provider (and its inventory); succeeds when it does not exist. */
  async deleteProvider(uuid: string): Promise<void> {
    const res = await this.call('DELETE', `/resource_providers/${uuid}`);
    if (res.status !== 204 && res.status !== 404)
      throw failure(`deleting resource provider ${uuid}`, res);
  }

  /**
   * Deletes a provider and the providers below it, deepest first (Nova's
   * delete_resource_provider walks the subtree top-down and deletes in reverse). A provider that
   * still has allocations is kept (Placement answers 409) and returned in `inUse`, which Nova
   * ignores too; a provider that is already gone counts as deleted.
   */
  async deleteProviderTree(uuid: string): Promise<{ deleted: string[]; inUse: string[] }> {
    const res = await this.call('GET', `/resource_providers?in_tree=${encodeURIComponent(uuid)}`);
    if (res.status !== 200) throw failure(`reading the provider tree of ${uuid}`, res);
    const tree = (
      res.body as { resource_providers: { uuid: string; parent_provider_uuid: string | null }[] }
    ).resource_providers;
    // The subtree rooted at `uuid`, parents before children.
    const order = [uuid];
    for (let i = 0; i < order.length; i++) {
      for (const p of tree) if (p.parent_provider_uuid === order[i]) order.push(p.uuid);
    }
    const deleted: string[] = [];
    const inUse: string[] = [];
    for (const rp of order.reverse()) {
      const del = await this.call('DELETE', `/resource_providers/${rp}`);
      if (del.status === 204 || del.status === 404) deleted.push(rp);
      else if (del.status === 409) inUse.push(rp);
      else throw failure(`deleting resource provider ${rp}`, del);
    }
    return { deleted, inUse };
  }

  /** Replaces a provider's inventories, re-reading the generation after a conflict. */
  async setInventory(uuid: string, inventories: Record<string, PlacementInventory>): Promise<void> {
    await this.putWithGeneration(uuid, 'inventories', { inventories }, 'the inventory');
  }

  /** Replaces a provider's traits, creating custom traits first. */
  async setTraits(uuid: string, traits: string[]): Promise<void> {
    for (const t of traits.filter((x) => x.startsWith('CUSTOM_'))) {
      const res = await this.call('PUT', `/traits/${t}`);
      if (res.status !== 201 && res.status !== 204) throw failure(`creating trait ${t}`, res);
    }
    await this.putWithGeneration(uuid, 'traits', { traits }, 'the traits');
  }

  /** GET /allocation_candidates for one unsuffixed request group. */
  async allocationCandidates(q: {
    resources: Record<string, number>;
    required: string[];
    memberOf: string[][];
    inTree?: string;
    limit: number;
  }): Promise<{
    allocationRequests: { allocations: PlacementAllocations }[];
    providerSummaries: Record<
      string,
      {
        resources: Record<string, { capacity: number; used: number }>;
        traits?: string[];
        root_provider_uuid?: string;
      }
    >;
  }> {
    const params = new URLSearchParams();
    params.set(
      'resources',
      Object.entries(q.resources)
        .map(([rc, n]) => `${rc}:${n}`)
        .join(','),
    );
    if (q.required.length) params.set('required', q.required.join(','));
    for (const set of q.memberOf) params.append('member_of', `in:${set.join(',')}`);
    if (q.inTree) params.set('in_tree', q.inTree);
    params.set('limit', String(q.limit));
    const res = await this.call('GET', `/allocation_candidates?${params.toString()}`);
    if (res.status !== 200) throw failure('getting allocation candidates', res);
    const body = res.body as {
      allocation_requests: { allocations: PlacementAllocations }[];
      provider_summaries: Record<string, any>;
    };
    return {
      allocationRequests: body.allocation_requests,
      providerSummaries: body.provider_summaries,
    };
  }

  /**
   * Claims allocations for a new consumer; false when they no longer fit. Retries a provider
   * generation race (`placement.concurrent_update`), as Nova's claim_resources does. A consumer
   * generation conflict (the consumer already has allocations) is not retried: sending the same
   * null generation again cannot succeed, so it is a ConflictError, as Nova's
   * AllocationUpdateFailed.
   */
  async claim(
    consumerUuid: string,
    allocations: PlacementAllocations,
    projectId: string,
    userId: string,
  ): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.call('PUT', `/allocations/${consumerUuid}`, {
        allocations,
        project_id: projectId,
        user_id: userId,
        consumer_generation: null,
      });
      if (res.status === 204) return true;
      if (res.status === 409) {
        if (errorCode(res) !== 'placement.concurrent_update') return false;
        if (isConsumerConflict(res)) {
          throw failure(`claiming resources for ${consumerUuid}: the consumer changed`, res);
        }
        if (attempt < this.retries) continue;
        return false;
      }
      throw failure(`claiming resources for ${consumerUuid}`, res);
    }
  }

  /** The allocations of a consumer, keyed by provider. */
  async allocations(consumerUuid: string): Promise<PlacementAllocations> {
    const res = await this.call('GET', `/allocations/${consumerUuid}`);
    if (res.status !== 200) throw failure(`reading allocations of ${consumerUuid}`, res);
    return (res.body as { allocations: PlacementAllocations }).allocations;
  }

  /** Removes every allocation of a consumer; succeeds when there is none. */
  async release(consumerUuid: string): Promise<void> {
    const res = await this.call('DELETE', `/allocations/${consumerUuid}`);
    if (res.status !== 204 && res.status !== 404)
      throw failure(`releasing resources of ${consumerUuid}`, res);
  }

  /** A consumer's allocations with what a generation-checked update needs. */
  async consumer(consumerUuid: string): Promise<{
    allocations: PlacementAllocations;
    consumerGeneration: number | null;
    projectId?: string;
    userId?: string;
  }> {
    const res = await this.call('GET', `/allocations/${consumerUuid}`);
    if (res.status !== 200) throw failure(`reading allocations of ${consumerUuid}`, res);
    const body = res.body as {
      allocations: Record<string, { resources: Record<string, number> }>;
      consumer_generation?: number;
      project_id?: string;
      user_id?: string;
    };
    const allocations: PlacementAllocations = {};
    for (const [rp, a] of Object.entries(body.allocations)) {
      allocations[rp] = { resources: a.resources };
    }
    return {
      allocations,
      consumerGeneration: body.consumer_generation ?? null,
      ...(body.project_id ? { projectId: body.project_id } : {}),
      ...(body.user_id ? { userId: body.user_id } : {}),
    };
  }

  /**
   * Replaces a consumer's allocations (empty: removes them) safely: sends the consumer
   * generation it read, and on `placement.concurrent_update` reads again and retries. False when
   * the allocations do not fit.
   */
  async replaceAllocations(
    consumerUuid: string,
    allocations: PlacementAllocations,
    projectId: string,
    userId: string,
  ): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const { consumerGeneration } = await this.consumer(consumerUuid);
      const res = await this.call('PUT', `/allocations/${consumerUuid}`, {
        allocations,
        project_id: projectId,
        user_id: userId,
        consumer_generation: consumerGeneration,
      });
      if (res.status === 204) return true;
      if (res.status === 409) {
        if (errorCode(res) === 'placement.concurrent_update' && attempt < this.retries) continue;
        return false;
      }
      throw failure(`replacing the allocations of ${consumerUuid}`, res);
    }
  }

  /**
   * Moves all allocations of `source` to `target` in one POST /allocations (Nova's
   * move_allocations, used to hand an instance's allocation to its migration record and back).
   * Retries on concurrent updates; false when the target's allocations would not fit.
   */
  async moveAllocations(sourceUuid: string, targetUuid: string): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const source = await this.consumer(sourceUuid);
      if (Object.keys(source.allocations).length === 0) return true;
      const target = await this.consumer(targetUuid);
      const owner = { project_id: source.projectId, user_id: source.userId };
      const res = await this.call('POST', '/allocations', {
        [sourceUuid]: { allocations: {}, consumer_generation: source.consumerGeneration, ...owner },
        [targetUuid]: {
          allocations: source.allocations,
          consumer_generation: target.consumerGeneration,
          project_id: target.projectId ?? source.projectId,
          user_id: target.userId ?? source.userId,
        },
      });
      if (res.status === 204) return true;
      if (res.status === 409) {
        if (errorCode(res) === 'placement.concurrent_update' && attempt < this.retries) continue;
        return false;
      }
      throw failure(`moving allocations from ${sourceUuid} to ${targetUuid}`, res);
    }
  }

  /** Sets a provider's aggregates, re-reading the generation after a conflict. */
  async setAggregates(uuid: string, aggregates: string[]): Promise<void> {
    await this.putWithGeneration(uuid, 'aggregates', { aggregates }, 'the aggregates');
  }

  /** A provider's aggregates and generation; undefined when there is no such provider. */
  async providerAggregates(
    uuid: string,
  ): Promise<{ aggregates: string[]; generation: number } | undefined> {
    const res = await this.call('GET', `/resource_providers/${uuid}/aggregates`);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw failure(`reading the aggregates of ${uuid}`, res);
    const body = res.body as { aggregates: string[]; resource_provider_generation: number };
    return { aggregates: body.aggregates, generation: body.resource_provider_generation };
  }

  /**
   * Adds an aggregate to a provider's, keeping the others (Nova's aggregate_add_host); false
   * when there is no such provider. Retries after a concurrent change of the provider.
   */
  async addProviderAggregate(uuid: string, aggregate: string): Promise<boolean> {
    return this.changeAggregates(uuid, (aggs) =>
      aggs.includes(aggregate) ? undefined : [...aggs, aggregate],
    );
  }

  /** Removes an aggregate from a provider's (aggregate_remove_host); false without the provider. */
  async removeProviderAggregate(uuid: string, aggregate: string): Promise<boolean> {
    return this.changeAggregates(uuid, (aggs) =>
      aggs.includes(aggregate) ? aggs.filter((a) => a !== aggregate) : undefined,
    );
  }

  /** Read, change (undefined: nothing to do), write with the generation read; retried on races. */
  private async changeAggregates(
    uuid: string,
    change: (aggregates: string[]) => string[] | undefined,
  ): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.providerAggregates(uuid);
      if (!current) return false;
      const next = change(current.aggregates);
      if (!next) return true;
      const res = await this.call('PUT', `/resource_providers/${uuid}/aggregates`, {
        aggregates: next,
        resource_provider_generation: current.generation,
      });
      if (res.status === 200) return true;
      if (res.status === 404) return false;
      const conflict = res.status === 409 && errorCode(res) === 'placement.concurrent_update';
      if (conflict && attempt < this.retries) continue;
      throw failure(`setting the aggregates of ${uuid}`, res);
    }
  }

  /** Creates a custom resource class unless it exists. */
  async ensureResourceClass(name: string): Promise<void> {
    const res = await this.call('PUT', `/resource_classes/${name}`);
    if (res.status !== 201 && res.status !== 204) {
      throw failure(`creating resource class ${name}`, res);
    }
  }

  /** Usage of a project (and optionally a user) per resource class, for quota counting. */
  async usages(projectId: string, userId?: string): Promise<Record<string, number>> {
    const params = new URLSearchParams({ project_id: projectId });
    if (userId) params.set('user_id', userId);
    const res = await this.call('GET', `/usages?${params.toString()}`);
    if (res.status !== 200) throw failure('reading usages', res);
    return (res.body as { usages: Record<string, number> }).usages;
  }
}
