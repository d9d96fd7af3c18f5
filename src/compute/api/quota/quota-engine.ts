import { ForbiddenError } from '../../../common/errors.js';
import type { ApiConfig } from '../api-options.js';
import type { InstanceUsageCounter } from './instance-usage.js';
import { PER_PROJECT_QUOTAS, QUOTA_RESOURCES } from './quota-resources.js';
import type { Limits, QuotaStore } from './quota-store.js';

/** A resource's limit, and its usage and what is left to give users when asked for. */
export interface QuotaDetail {
  limit: number;
  in_use?: number;
  remains?: number;
}

/** Quotas by resource name. */
export type QuotaDetails = Record<string, QuotaDetail>;

const UNLIMITED = -1;
const sum = (a: number, b: number) => (a <= UNLIMITED || b <= UNLIMITED ? UNLIMITED : a + b);
const sub = (a: number, b: number) => (a <= UNLIMITED || b <= UNLIMITED ? UNLIMITED : a - b);

/**
 * Nova's DbQuotaDriver: limits are the project's (or user's) own, else the `default` quota
 * class's, else `[quota]`'s; usage is counted on demand (instances through the pluggable
 * counter, key pairs and server groups from the API database). `[quota] driver =
 * nova.quota.NoopQuotaDriver` makes every limit -1.
 */
export class QuotaEngine {
  constructor(
    private readonly config: ApiConfig,
    private readonly store: QuotaStore,
    private readonly instances: InstanceUsageCounter,
  ) {}

  private get noop(): boolean {
    return this.config.quota.driver === 'nova.quota.NoopQuotaDriver';
  }

  /** The defaults: the `default` class over the config. */
  async defaults(): Promise<Limits> {
    if (this.noop) return Object.fromEntries(QUOTA_RESOURCES.map((r) => [r.name, UNLIMITED]));
    const cls = await this.store.classLimits('default');
    return Object.fromEntries(
      QUOTA_RESOURCES.map((r) => [r.name, cls[r.name] ?? r.default(this.config)]),
    );
  }

  /** A quota class's limits, each falling back to the config default (not to class default). */
  async classQuotas(className: string): Promise<Limits> {
    if (this.noop) return this.defaults();
    const cls = await this.store.classLimits(className);
    return Object.fromEntries(
      QUOTA_RESOURCES.map((r) => [r.name, cls[r.name] ?? r.default(this.config)]),
    );
  }

  /** A project's quotas, with usage and remains (limit minus what users were given) on request. */
  async projectQuotas(
    projectId: string,
    opts: { usages?: boolean; remains?: boolean } = {},
  ): Promise<QuotaDetails> {
    const own = this.noop ? {} : await this.store.projectLimits(projectId);
    const usage = opts.usages ? await this.usages(projectId) : undefined;
    const out = await this.process(own, usage);
    if (opts.remains) {
      const given = this.noop ? {} : await this.store.userLimitTotals(projectId);
      for (const [name, q] of Object.entries(out)) q.remains = q.limit - (given[name] ?? 0);
    }
    return out;
  }

  /** A user's quotas within a project: the user's own limits over the project's. */
  async userQuotas(
    projectId: string,
    userId: string,
    opts: { usages?: boolean } = {},
  ): Promise<QuotaDetails> {
    const own = this.noop
      ? {}
      : {
          ...(await this.store.projectLimits(projectId)),
          ...(await this.store.userLimits(projectId, userId)),
        };
    const usage = opts.usages ? await this.usages(projectId, userId) : undefined;
    return this.process(own, usage);
  }

  /** The range each limit may be set to (upstream's get_settable_quotas). */
  async settable(
    projectId: string,
    userId?: string,
  ): Promise<Record<string, { minimum: number; maximum: number }>> {
    const project = await this.projectQuotas(projectId, { remains: true, usages: true });
    const out: Record<string, { minimum: number; maximum: number }> = {};
    if (userId !== undefined) {
      const setted = this.noop ? {} : await this.store.userLimits(projectId, userId);
      const user = await this.userQuotas(projectId, userId, { usages: true });
      for (const [name, q] of Object.entries(user)) {
        out[name] = {
          minimum: q.in_use ?? 0,
          maximum: sum(project[name]!.remains!, setted[name] ?? 0),
        };
      }
    } else {
      for (const [name, q] of Object.entries(project)) {
        out[name] = {
          minimum: Math.max(sub(q.limit, q.remains!), q.in_use ?? 0),
          maximum: UNLIMITED,
        };
      }
    }
    return out;
  }

  /**
   * Checks that adding `delta` of a resource stays within the project's and the user's
   * limits (upstream's check_deltas); a failure is a 403 with `message`.
   */
  async check(
    resource: 'key_pairs' | 'server_groups',
    delta: number,
    projectId: string,
    userId: string,
    message: string,
  ): Promise<void> {
    if (this.noop) return;
    const user = (await this.userQuotas(projectId, userId))[resource]!.limit;
    const project = (await this.projectQuotas(projectId))[resource]!.limit;
    let counts: { project?: number; user: number };
    if (resource === 'key_pairs') {
      // Key pairs belong to users; only the user's count is checked.
      counts = { user: await this.store.countKeyPairs(userId) };
    } else {
      const c = await this.store.countServerGroups(projectId, userId);
      counts = { project: c.project, user: c.user ?? 0 };
    }
    const over = (limit: number, count: number) => limit >= 0 && count + delta > limit;
    if (
      over(user, counts.user) ||
      (counts.project !== undefined && over(project, counts.project))
    ) {
      throw new ForbiddenError(message, { code: 'compute.over_quota' });
    }
  }

  /**
   * Checks an absolute limit (upstream's limit_check): `value` must not exceed the project's
   * nor the user's limit of `resource`; a failure is a 403 with `message`.
   */
  async limitCheck(
    resource: 'metadata_items',
    value: number,
    projectId: string,
    userId: string | null,
    message: string,
  ): Promise<void> {
    if (this.noop) return;
    const limits = [(await this.projectQuotas(projectId))[resource]!.limit];
    if (userId !== null) limits.push((await this.userQuotas(projectId, userId))[resource]!.limit);
    if (limits.some((limit) => limit >= 0 && value > limit))
      throw new ForbiddenError(message, { code: 'compute.over_quota' });
  }

  private async process(
    own: Limits,
    usage: Record<string, number> | undefined,
  ): Promise<QuotaDetails> {
    const defaults = await this.defaults();
    const out: QuotaDetails = {};
    for (const r of QUOTA_RESOURCES) {
      const q: QuotaDetail = { limit: own[r.name] ?? defaults[r.name]! };
      if (usage) q.in_use = usage[r.name] ?? 0;
      out[r.name] = q;
    }
    return out;
  }

  /** Usage as upstream shows it: key pairs and server group members always count 0 here. */
  private async usages(projectId: string, userId?: string): Promise<Record<string, number>> {
    const inst = await this.instances.count(projectId, userId);
    const counts = userId !== undefined && inst.user ? inst.user : inst.project;
    const groups = await this.store.countServerGroups(projectId, userId);
    const out: Record<string, number> = {
      instances: counts.instances,
      cores: counts.cores,
      ram: counts.ram,
      server_groups: userId !== undefined ? (groups.user ?? 0) : groups.project,
      key_pairs: 0,
      server_group_members: 0,
    };
    for (const name of PER_PROJECT_QUOTAS) out[name] ??= 0;
    return out;
  }
}
