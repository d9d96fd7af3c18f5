/**
 * The live-migration primitive between two QEMU processes: a target started with
 * `-incoming defer` listens on loopback (port chosen by the kernel, read back over QMP), the
 * source streams to it, MIGRATION events are followed to an end under a deadline, and the
 * source, left in `postmigrate`, is quit.
 */
import type { Logger } from 'pino';
import { StratusError, TimeoutError } from '../../../common/errors.js';
import { sleep } from '../../../common/deadline.js';
import type { QemuMachine } from './qemu-machine.js';
import type { MigrationStatus, QmpEvent } from './qmp-event.js';

/** What QEMU reported about a completed migration. */
export interface MigrationResult {
  /** `total-time`: from `migrate` to completion, in ms. */
  totalTimeMs: number;
  /** `downtime`: how long the guest was paused for the switchover, in ms. */
  downtimeMs: number;
  setupTimeMs: number | undefined;
  transferredBytes: number | undefined;
  /** The loopback URI the stream used. */
  uri: string;
}

/** Options of liveMigrate. */
export interface LiveMigrateOptions {
  /** Deadline from `migrate` to `completed` (default 5 min); on expiry the migration is cancelled. */
  timeoutMs?: number;
  /** Address the target listens on; loopback unless the driver moves it to a migration network. */
  listenHost?: string;
  /** Extra migration capabilities set on both ends (events is always on). */
  capabilities?: string[];
  /** Bandwidth cap in bytes/s (`max-bandwidth`); QEMU's default is 32 MiB/s. */
  maxBandwidth?: number;
  /** Allowed downtime in ms (`downtime-limit`). */
  downtimeLimitMs?: number;
  logger?: Logger;
}

/** The migration ended in `failed` or `cancelled`. */
export class MigrationFailedError extends StratusError {
  constructor(status: string, detail: string | undefined) {
    super(`live migration ${status}${detail ? `: ${detail}` : ''}`, {
      code: 'qemu.migration_failed',
      details: { status, detail },
    });
  }
}

interface QueryMigrate {
  status?: MigrationStatus;
  'total-time'?: number;
  downtime?: number;
  'setup-time'?: number;
  ram?: { transferred?: number };
  'error-desc'?: string;
  'socket-address'?: { type: string; host?: string; port?: string }[];
}

/** Migrates `source` into `target` (a machine started with `incoming: true`), then quits source. */
export async function liveMigrate(
  source: QemuMachine,
  target: QemuMachine,
  opts: LiveMigrateOptions = {},
): Promise<MigrationResult> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const host = opts.listenHost ?? '127.0.0.1';
  if (!target.spec.incoming) {
    throw new StratusError('migration target was not started with incoming: true', {
      code: 'qemu.migration_failed',
    });
  }
  const caps = [
    { capability: 'events', state: true },
    ...(opts.capabilities ?? []).map((capability) => ({ capability, state: true })),
  ];
  await Promise.all(
    [source, target].map((m) => m.qmp.execute('migrate-set-capabilities', { capabilities: caps })),
  );
  const params: Record<string, unknown> = {};
  if (opts.maxBandwidth !== undefined) params['max-bandwidth'] = opts.maxBandwidth;
  if (opts.downtimeLimitMs !== undefined) params['downtime-limit'] = opts.downtimeLimitMs;
  if (Object.keys(params).length > 0) await source.qmp.execute('migrate-set-parameters', params);

  // Port 0: the kernel picks a free port, so concurrent migrations never race for one.
  await target.qmp.execute('migrate-incoming', { uri: `tcp:${host}:0` });
  const listening = await target.qmp.execute<QueryMigrate>('query-migrate');
  const port = listening['socket-address']?.find((a) => a.type === 'inet')?.port;
  if (!port) throw new MigrationFailedError('failed', 'target reported no listening port');
  const uri = `tcp:${host}:${port}`;

  const isEnd = (e: QmpEvent) =>
    e.event === 'MIGRATION' && ['completed', 'failed', 'cancelled'].includes(e.data.status);
  const sourceEnd = source.qmp.waitForEvent(isEnd, timeoutMs, 'live migration');
  const targetEnd = target.qmp.waitForEvent(isEnd, timeoutMs, 'live migration (target)');
  // Both waits may lose to an error thrown below; keep them from becoming unhandled.
  sourceEnd.catch(() => undefined);
  targetEnd.catch(() => undefined);
  opts.logger?.info({ uri }, 'starting live migration');
  await source.qmp.execute('migrate', { uri });

  let end: QmpEvent;
  try {
    end = await sourceEnd;
  } catch (err) {
    if (err instanceof TimeoutError) {
      await source.qmp.execute('migrate_cancel').catch(() => undefined);
    }
    throw err;
  }
  let info = await source.qmp.execute<QueryMigrate>('query-migrate');
  if (end.event !== 'MIGRATION' || end.data.status !== 'completed') {
    throw new MigrationFailedError(info.status ?? 'failed', info['error-desc']);
  }
  // QEMU emits `completed` before its migration thread stores total-time and downtime; until
  // then query-migrate reports 0. Give it a moment.
  for (let i = 0; i < 100 && !info['total-time']; i++) {
    await sleep(20);
    info = await source.qmp.execute<QueryMigrate>('query-migrate');
  }
  // The target resumes the guest by itself once its side completes.
  await targetEnd;
  const sourceState = await source.status();
  if (sourceState === 'postmigrate') await source.stop({ shutdownTimeoutMs: 0 });
  return {
    totalTimeMs: info['total-time'] ?? 0,
    downtimeMs: info.downtime ?? 0,
    setupTimeMs: info['setup-time'],
    transferredBytes: info.ram?.transferred,
    uri,
  };
}
