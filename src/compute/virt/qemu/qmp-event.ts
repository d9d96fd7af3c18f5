/**
 * QMP events as a discriminated union. The events the machine layer acts on have typed data;
 * every other event arrives as `{ event: 'OTHER', name, data }` so nothing is dropped.
 */

/** SHUTDOWN reasons of QEMU 7.2 (`ShutdownCause` in qapi/run-state.json). */
export type ShutdownReason =
  | 'none'
  | 'host-error'
  | 'host-qmp-quit'
  | 'host-qmp-system-reset'
  | 'host-signal'
  | 'host-ui'
  | 'guest-shutdown'
  | 'guest-reset'
  | 'guest-panic'
  | 'subsystem-reset'
  | 'snapshot-load';

/** Migration states reported by the MIGRATION event and `query-migrate`. */
export type MigrationStatus =
  | 'none'
  | 'setup'
  | 'cancelling'
  | 'cancelled'
  | 'active'
  | 'postcopy-active'
  | 'postcopy-paused'
  | 'postcopy-recover'
  | 'completed'
  | 'failed'
  | 'colo'
  | 'pre-switchover'
  | 'device'
  | 'wait-unplug';

/** One end of a VNC connection as VNC events describe it. */
export interface VncPeer {
  host?: string;
  service?: string;
  family?: string;
  websocket?: boolean;
  auth?: string;
}

/** Data of each event with a typed payload, by event name. */
export interface QmpEventData {
  STOP: Record<string, never>;
  RESUME: Record<string, never>;
  POWERDOWN: Record<string, never>;
  SHUTDOWN: { guest: boolean; reason: ShutdownReason };
  RESET: { guest: boolean; reason: ShutdownReason };
  MIGRATION: { status: MigrationStatus };
  MIGRATION_PASS: { pass: number };
  VNC_CONNECTED: { server: VncPeer; client: VncPeer };
  VNC_INITIALIZED: { server: VncPeer; client: VncPeer };
  VNC_DISCONNECTED: { server: VncPeer; client: VncPeer };
  GUEST_PANICKED: { action: string };
  BLOCK_IO_ERROR: { device: string; operation: string; action: string; reason?: string };
}

/** Name of an event with a typed payload. */
export type KnownQmpEventName = keyof QmpEventData;

/** An event with a typed payload; `timestamp` is QEMU's wall clock in milliseconds. */
export type KnownQmpEvent = {
  [K in KnownQmpEventName]: { event: K; data: QmpEventData[K]; timestamp: number };
}[KnownQmpEventName];

/** Any event without a typed payload, under its QMP name. */
export interface OtherQmpEvent {
  event: 'OTHER';
  name: string;
  data: Record<string, unknown>;
  timestamp: number;
}

/** Every event the client emits. */
export type QmpEvent = KnownQmpEvent | OtherQmpEvent;

const KNOWN: ReadonlySet<string> = new Set<KnownQmpEventName>([
  'STOP',
  'RESUME',
  'POWERDOWN',
  'SHUTDOWN',
  'RESET',
  'MIGRATION',
  'MIGRATION_PASS',
  'VNC_CONNECTED',
  'VNC_INITIALIZED',
  'VNC_DISCONNECTED',
  'GUEST_PANICKED',
  'BLOCK_IO_ERROR',
]);

/** Turns a raw QMP event message into a QmpEvent (trusting QEMU for the payload shape). */
export function parseQmpEvent(msg: {
  event: string;
  data?: unknown;
  timestamp?: { seconds?: number; microseconds?: number };
}): QmpEvent {
  const ts = msg.timestamp;
  const timestamp = ts ? (ts.seconds ?? 0) * 1000 + Math.floor((ts.microseconds ?? 0) / 1000) : 0;
  const data =
    msg.data !== null && typeof msg.data === 'object' ? (msg.data as Record<string, unknown>) : {};
  if (KNOWN.has(msg.event)) {
    return { event: msg.event, data, timestamp } as KnownQmpEvent;
  }
  return { event: 'OTHER', name: msg.event, data, timestamp };
}
