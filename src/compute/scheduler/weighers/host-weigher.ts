import type { HostState, SchedulingRequest } from '../host-state.js';

/**
 * One weigher: a raw score per host, higher is better. The pipeline normalizes each weigher's
 * scores to 0..1 across the candidate hosts and multiplies by its multiplier, as Nova does.
 */
export interface HostWeigher {
  readonly name: string;
  /** The configured multiplier (negative to prefer the lowest score, i.e. stacking). */
  readonly multiplier: number;
  weigh(host: HostState, req: SchedulingRequest): number;
}
