import { dict, int, list, str } from '../../../platform/config/options.js';

/**
 * `[fake]`: the fake driver simulates any number of hypervisors with configurable resources,
 * delays and injected failures, so scale and fault tests need no real VMs.
 */
export function fakeDriverOptions() {
  return {
    fake: {
      nodes: int(1, 'Hypervisor nodes this agent simulates.', { min: 1, max: 100000 }),
      vcpus: int(64, 'vCPUs of each simulated node.', { min: 1 }),
      memory_mb: int(131072, 'Memory of each simulated node, in MiB.', { min: 1 }),
      local_gb: int(2048, 'Local disk of each simulated node, in GiB.', { min: 1 }),
      hypervisor_type: str('fake', 'The hypervisor type nodes report.'),
      delay_ms: dict({}, 'Simulated duration per operation, e.g. spawn:200,destroy:50 (ms).'),
      failure_rate: dict({}, 'Probability (0-1) that an operation fails, e.g. spawn:0.1.'),
      fail_spawn_on_nodes: list(
        [],
        'Nodes on which every spawn fails (deterministic fault tests).',
      ),
      guests_file: str(
        '',
        "File the fake hypervisor keeps its guests in, so they outlive a restart of the agent as a real hypervisor's do (empty: in memory only).",
      ),
    },
  };
}

/** The typed `[fake]` section. */
export type FakeDriverConfig = {
  nodes: number;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  hypervisor_type: string;
  delay_ms: Record<string, string>;
  failure_rate: Record<string, string>;
  fail_spawn_on_nodes: string[];
  /** Absent or empty: guests live in memory only. */
  guests_file?: string;
};
