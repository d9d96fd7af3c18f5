import type { PowerState } from '../power-state.js';

/**
 * The virt driver contract: the only thing the compute agent knows about hypervisors
 * (ARCHITECTURE.md §3). The fake driver is its executable spec (driver-contract.ts); the QEMU
 * driver implements the same interface.
 */

/** What one hypervisor node has, before allocation ratios and reservations. */
export interface NodeResources {
  /** The hypervisor hostname (`hypervisor_hostname`), unique per node. */
  nodename: string;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  hypervisorType: string;
  /** Encoded as Nova does: major * 1000000 + minor * 1000 + patch. */
  hypervisorVersion: number;
  /** The node's address, shown as host_ip. */
  hostIp: string;
  /** Capability traits of this node (e.g. COMPUTE_NET_ATTACH_INTERFACE). */
  traits: string[];
  /** CPU description as the API shows it (free-form JSON). */
  cpuInfo: Record<string, unknown>;
}

/** What the agent asks a driver to create. */
export interface SpawnRequest {
  uuid: string;
  /** The instance's `instance_name` (e.g. instance-00000001). */
  name: string;
  /** The node the scheduler picked. */
  node: string;
  vcpus: number;
  memoryMb: number;
  rootGb: number;
  ephemeralGb: number;
  swapMb: number;
  /** The image id (null when booting from a volume), with its properties. */
  imageId: string | null;
  imageProperties: Record<string, unknown>;
  /** Base64 user data, if any. */
  userData: string | null;
  /** Whether to attach a config drive. */
  configDrive: boolean;
  /** Files to inject (personality), decoded. */
  injectedFiles: { path: string; contents: string }[];
  /** Fixed IPs and MACs of the instance's ports. */
  network: { mac: string; ip: string; network: string }[];
  metadata: Record<string, string>;
}

/** What a driver knows about one guest. */
export interface GuestInfo {
  uuid: string;
  node: string;
  powerState: PowerState;
}

/** Which reboot. */
export type RebootType = 'SOFT' | 'HARD';

/** The operations a driver performs; every one may fail with a StratusError saying why. */
export interface VirtDriver {
  /** Short name, e.g. `fake` or `qemu`. */
  readonly type: string;
  /** Called once when the agent starts, before anything else. */
  initHost(host: string): Promise<void>;
  /** The nodes this agent manages (one for a real hypervisor, many for the fake one). */
  nodes(): Promise<NodeResources[]>;
  /** Every guest on this host, as the hypervisor sees them. */
  listGuests(): Promise<GuestInfo[]>;
  /** One guest's state, or undefined when the hypervisor has no such guest. */
  guestInfo(uuid: string): Promise<GuestInfo | undefined>;
  /** Creates and starts a guest; on failure leaves nothing behind. */
  spawn(req: SpawnRequest, signal?: AbortSignal): Promise<void>;
  /** Stops and removes a guest; succeeds when the guest does not exist. */
  destroy(uuid: string): Promise<void>;
  /** Powers a guest off, cleanly within `timeoutSec`, forcibly after. */
  powerOff(uuid: string, timeoutSec: number): Promise<void>;
  powerOn(uuid: string): Promise<void>;
  reboot(uuid: string, type: RebootType): Promise<void>;
  pause(uuid: string): Promise<void>;
  unpause(uuid: string): Promise<void>;
  suspend(uuid: string): Promise<void>;
  resume(uuid: string): Promise<void>;
  /** The guest's serial console output (the last part of it). */
  consoleOutput(uuid: string, lines?: number): Promise<string>;
  /**
   * The host's uptime as `uptime` prints it (Nova's get_host_uptime); a NotImplementedError
   * when the hypervisor cannot tell.
   */
  hostUptime(): Promise<string>;
  /** Releases what the driver holds (connections, timers). Guests keep running. */
  close(): Promise<void>;
}
