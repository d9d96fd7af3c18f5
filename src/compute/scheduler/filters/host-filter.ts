import type { HostState, SchedulingRequest } from '../host-state.js';

/** One scheduler filter: passes or rejects a host for a request, as Nova's BaseHostFilter. */
export interface HostFilter {
  /** The name used in `[filter_scheduler] enabled_filters` and in NoValidHost reasons. */
  readonly name: string;
  /** True when the host can take the instance. */
  passes(host: HostState, req: SchedulingRequest): boolean;
}
