import type { Bus } from '../../platform/bus/bus.js';
import type { RequestSpec, Selection } from '../request-spec.js';

/** The compute agents' bus topic; one agent listens on `compute.<host>`. */
export const COMPUTE_TOPIC = 'compute';

/** Arguments of build_and_run_instance. */
export interface BuildAndRunArgs {
  instanceUuid: string;
  spec: RequestSpec;
  selection: Selection;
  /** Untried alternates, handed back to the conductor on failure for a reschedule. */
  alternates: Selection[];
  triedHosts: string[];
}

/** Typed RPC client of one compute host's agent. */
export class ComputeAgentClient {
  constructor(private readonly bus: Bus) {}

  /** Asks the host to build and start an instance (resources already claimed). */
  buildAndRunInstance(host: string, args: BuildAndRunArgs, requestId: string): Promise<void> {
    return this.bus.cast(`${COMPUTE_TOPIC}.${host}`, 'build_and_run_instance', args, { requestId });
  }

  /**
   * The host's uptime line (Nova's get_host_uptime RPC), within `timeoutMs`: a TimeoutError
   * when no agent answers, a NotImplementedError when its driver cannot tell.
   */
  getHostUptime(host: string, timeoutMs: number, requestId?: string): Promise<string> {
    return this.bus.call<string>(
      `${COMPUTE_TOPIC}.${host}`,
      'get_host_uptime',
      {},
      { timeoutMs, ...(requestId ? { requestId } : {}) },
    );
  }

  /** Asks the host to destroy an instance and release its resources. */
  terminateInstance(host: string, instanceUuid: string, requestId: string): Promise<void> {
    return this.bus.cast(
      `${COMPUTE_TOPIC}.${host}`,
      'terminate_instance',
      { instanceUuid },
      { requestId },
    );
  }
}
