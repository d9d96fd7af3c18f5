import type { Bus } from '../../../platform/bus/bus.js';

/** Asks a compute host for its uptime line (`uptime` output), as nova-api asks nova-compute. */
export interface HostUptime {
  /** The uptime text, or undefined when the host cannot answer (down, no agent, deadline). */
  get(host: string): Promise<string | undefined>;
}

/** Calls `get_host_uptime` on the host's agent over the bus, with a deadline. */
export class BusHostUptime implements HostUptime {
  constructor(
    private readonly bus: Bus,
    private readonly timeoutMs: number,
  ) {}

  async get(host: string): Promise<string | undefined> {
    try {
      const r = await this.bus.call<unknown>(
        `compute.${host}`,
        'get_host_uptime',
        {},
        { timeoutMs: this.timeoutMs },
      );
      return typeof r === 'string' ? r : undefined;
    } catch {
      return undefined;
    }
  }
}

/** For processes without a bus to the agents (tests): no host answers. */
export const NO_UPTIME: HostUptime = { get: async () => undefined };
