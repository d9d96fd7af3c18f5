import {
  ConflictError,
  NotFoundError,
  StratusError,
  registerErrorClass,
} from '../../../common/errors.js';
import { sleep } from '../../../common/deadline.js';
import { PowerState } from '../../power-state.js';
import type { GuestInfo, NodeResources, RebootType, SpawnRequest, VirtDriver } from '../driver.js';
import type { FakeDriverConfig } from './fake-options.js';
import { GuestsFile } from './guests-file.js';

/** A failure the fake driver injected on purpose. */
export class InjectedFailureError extends StratusError {
  constructor(message: string, opts: { code?: string; details?: Record<string, unknown> } = {}) {
    super(message, { code: 'virt.injected_failure', ...opts, status: 500 });
  }
}
registerErrorClass(InjectedFailureError);

/** The fake host's uptime line (Nova's fake driver and API samples). */
export const FAKE_UPTIME = ' 08:32:11 up 93 days, 18:25, 12 users,  load average: 0.20, 0.12, 0.14';

interface FakeGuest {
  uuid: string;
  node: string;
  name: string;
  powerState: PowerState;
  console: string[];
  /** What spawn was asked to inject and plug, kept so tests can assert delivery. */
  injectedFiles: SpawnRequest['injectedFiles'];
  network: SpawnRequest['network'];
}

type Operation =
  | 'spawn'
  | 'destroy'
  | 'power_off'
  | 'power_on'
  | 'reboot'
  | 'pause'
  | 'unpause'
  | 'suspend'
  | 'resume';

/**
 * The fake virt driver: guests are records in memory with real state transitions (a paused
 * guest cannot be suspended, a missing one is not found), each operation may be delayed and may
 * fail as configured. `random` is passed in so failure injection is testable.
 */
export class FakeDriver implements VirtDriver {
  readonly type = 'fake';
  private readonly guests = new Map<string, FakeGuest>();
  private readonly file: GuestsFile<FakeGuest> | undefined;
  private host = 'fake-host';

  constructor(
    private readonly config: FakeDriverConfig,
    private readonly random: () => number = Math.random,
  ) {
    if (config.guests_file) {
      this.file = new GuestsFile(config.guests_file);
      for (const g of this.file.load()) this.guests.set(g.uuid, g);
    }
  }

  /** Writes the guests to `[fake] guests_file` after a change, when one is configured. */
  private persist(): void {
    this.file?.save([...this.guests.values()]);
  }

  async initHost(host: string): Promise<void> {
    this.host = host;
  }

  /** Node names: the host itself for one node (as a real hypervisor), `host-N` for many. */
  private nodeNames(): string[] {
    if (this.config.nodes === 1) return [this.host];
    return Array.from({ length: this.config.nodes }, (_, i) => `${this.host}-${i + 1}`);
  }

  async nodes(): Promise<NodeResources[]> {
    return this.nodeNames().map((nodename) => ({
      nodename,
      vcpus: this.config.vcpus,
      memoryMb: this.config.memory_mb,
      localGb: this.config.local_gb,
      hypervisorType: this.config.hypervisor_type,
      hypervisorVersion: 1000,
      hostIp: '127.0.0.1',
      traits: ['COMPUTE_NET_ATTACH_INTERFACE', 'COMPUTE_DEVICE_TAGGING', 'COMPUTE_NODE'],
      cpuInfo: {
        arch: 'x86_64',
        model: 'fake',
        vendor: 'Stratus',
        topology: { sockets: 1, cores: this.config.vcpus, threads: 1 },
      },
    }));
  }

  async listGuests(): Promise<GuestInfo[]> {
    return [...this.guests.values()].map((g) => ({
      uuid: g.uuid,
      node: g.node,
      powerState: g.powerState,
    }));
  }

  async guestInfo(uuid: string): Promise<GuestInfo | undefined> {
    const g = this.guests.get(uuid);
    return g && { uuid: g.uuid, node: g.node, powerState: g.powerState };
  }

  private async simulate(op: Operation, signal?: AbortSignal): Promise<void> {
    const delay = Number(this.config.delay_ms[op] ?? 0);
    if (delay > 0) await sleep(delay, signal);
    const rate = Number(this.config.failure_rate[op] ?? 0);
    if (rate > 0 && this.random() < rate) {
      throw new InjectedFailureError(
        `Injected failure of ${op} by the fake driver ([fake] failure_rate).`,
      );
    }
  }

  private guest(uuid: string): FakeGuest {
    const g = this.guests.get(uuid);
    if (!g)
      throw new NotFoundError(`Instance ${uuid} could not be found on the hypervisor.`, {
        code: 'virt.instance_not_found',
      });
    return g;
  }

  private transition(uuid: string, from: readonly PowerState[], to: PowerState, op: string): void {
    const g = this.guest(uuid);
    if (!from.includes(g.powerState)) {
      throw new ConflictError(`Cannot ${op} instance ${uuid} in power state ${g.powerState}.`, {
        code: 'virt.invalid_power_state',
      });
    }
    g.powerState = to;
    g.console.push(`[fake] ${op}`);
    this.persist();
  }

  async spawn(req: SpawnRequest, signal?: AbortSignal): Promise<void> {
    if (!this.nodeNames().includes(req.node)) {
      throw new NotFoundError(`Node ${req.node} is not managed by this host.`, {
        code: 'virt.node_not_found',
      });
    }
    if (this.guests.has(req.uuid))
      throw new ConflictError(`Instance ${req.uuid} already exists on the hypervisor.`);
    await this.simulate('spawn', signal);
    if (this.config.fail_spawn_on_nodes.includes(req.node)) {
      throw new InjectedFailureError(
        `Injected spawn failure on node ${req.node} ([fake] fail_spawn_on_nodes).`,
      );
    }
    this.guests.set(req.uuid, {
      uuid: req.uuid,
      node: req.node,
      name: req.name,
      powerState: PowerState.RUNNING,
      console: [
        `[fake] ${req.name} booted on ${req.node}`,
        ...req.network.map((n) => `[fake] nic ${n.mac} ${n.ip} on ${n.network}`),
        ...req.injectedFiles.map((f) => `[fake] injected ${f.path} (${f.contents.length} chars)`),
      ],
      injectedFiles: req.injectedFiles.map((f) => ({ ...f })),
      network: req.network.map((n) => ({ ...n })),
    });
    this.persist();
  }

  /** The personality files a guest was spawned with (the fake's record of delivery). */
  injectedFiles(uuid: string): SpawnRequest['injectedFiles'] {
    return this.guest(uuid).injectedFiles;
  }

  /** The NICs a guest was spawned with. */
  guestNetwork(uuid: string): SpawnRequest['network'] {
    return this.guest(uuid).network;
  }

  async destroy(uuid: string): Promise<void> {
    await this.simulate('destroy');
    if (this.guests.delete(uuid)) this.persist();
  }

  async powerOff(uuid: string, _timeoutSec: number): Promise<void> {
    await this.simulate('power_off');
    this.transition(
      uuid,
      [
        PowerState.RUNNING,
        PowerState.PAUSED,
        PowerState.SUSPENDED,
        PowerState.CRASHED,
        PowerState.SHUTDOWN,
      ],
      PowerState.SHUTDOWN,
      'power off',
    );
  }

  async powerOn(uuid: string): Promise<void> {
    await this.simulate('power_on');
    this.transition(
      uuid,
      [PowerState.SHUTDOWN, PowerState.CRASHED, PowerState.RUNNING],
      PowerState.RUNNING,
      'power on',
    );
  }

  async reboot(uuid: string, type: RebootType): Promise<void> {
    await this.simulate('reboot');
    const allowed =
      type === 'HARD'
        ? [
            PowerState.RUNNING,
            PowerState.SHUTDOWN,
            PowerState.PAUSED,
            PowerState.SUSPENDED,
            PowerState.CRASHED,
          ]
        : [PowerState.RUNNING];
    this.transition(uuid, allowed, PowerState.RUNNING, `${type.toLowerCase()} reboot`);
  }

  async pause(uuid: string): Promise<void> {
    await this.simulate('pause');
    this.transition(uuid, [PowerState.RUNNING], PowerState.PAUSED, 'pause');
  }

  async unpause(uuid: string): Promise<void> {
    await this.simulate('unpause');
    this.transition(uuid, [PowerState.PAUSED], PowerState.RUNNING, 'unpause');
  }

  async suspend(uuid: string): Promise<void> {
    await this.simulate('suspend');
    this.transition(uuid, [PowerState.RUNNING], PowerState.SUSPENDED, 'suspend');
  }

  async resume(uuid: string): Promise<void> {
    await this.simulate('resume');
    this.transition(uuid, [PowerState.SUSPENDED], PowerState.RUNNING, 'resume');
  }

  async consoleOutput(uuid: string, lines?: number): Promise<string> {
    const out = this.guest(uuid).console;
    return (lines === undefined ? out : out.slice(-lines)).join('\n') + '\n';
  }

  /** A fixed line, the one Nova's fake driver answered and its API samples show. */
  async hostUptime(): Promise<string> {
    return FAKE_UPTIME;
  }

  async close(): Promise<void> {
    // Guests of a real hypervisor outlive the agent; here only with `[fake] guests_file`.
  }
}
