import { NotImplementedError } from '../../../common/errors.js';
import type { ComputeAgentClient } from '../../agent/client.js';

/** Asks a compute host for its uptime line (`uptime` output), as nova-api asks nova-compute. */
export interface HostUptime {
  /**
   * The host's uptime text. Rejects with a NotImplementedError when the host's driver cannot
   * tell, a TimeoutError when no agent answers in time, ServiceUnavailableError without a bus.
   */
  get(host: string, requestId?: string): Promise<string>;
}

/** Calls `get_host_uptime` on the host's agent over the bus, with a deadline. */
export class AgentHostUptime implements HostUptime {
  constructor(
    private readonly agents: ComputeAgentClient,
    private readonly timeoutMs: number,
  ) {}

  get(host: string, requestId?: string): Promise<string> {
    return this.agents.getHostUptime(host, this.timeoutMs, requestId);
  }
}

/** For processes without a bus to the agents (API-only tests): no host can tell. */
export const NO_UPTIME: HostUptime = {
  get: async () => {
    throw new NotImplementedError('The requested functionality is not supported.');
  },
};
