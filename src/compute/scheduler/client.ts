import type { Bus } from '../../platform/bus/bus.js';
import type { RequestSpec, Selection } from '../request-spec.js';

/** The scheduler's bus topic. */
export const SCHEDULER_TOPIC = 'scheduler';

/** Arguments of select_destinations. */
export interface SelectDestinationsArgs {
  spec: RequestSpec;
  instanceUuids: string[];
  /** Hosts to skip (earlier failed attempts). */
  ignoreHosts?: string[];
  /** How many alternates to return with each selection (max_attempts - 1). */
  alternates: number;
}

/** Typed RPC client of the scheduler. */
export class SchedulerClient {
  constructor(
    private readonly bus: Bus,
    private readonly timeoutMs?: number,
  ) {}

  /**
   * Picks a host for each instance and claims its resources in Placement; returns, per
   * instance, the chosen selection followed by alternates (whose resources are not claimed).
   * Rejects with NoValidHostError when no host fits.
   */
  selectDestinations(args: SelectDestinationsArgs, requestId?: string): Promise<Selection[][]> {
    return this.bus.call<Selection[][]>(SCHEDULER_TOPIC, 'select_destinations', args, {
      ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
    });
  }
}
