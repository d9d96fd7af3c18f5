import type { StratusProcess } from './process-runtime.js';

/**
 * Keeps a started process running until SIGTERM or SIGINT, then stops it gracefully within
 * `graceSeconds`; a second signal, or the grace running out, exits at once.
 */
export function runUntilSignal(proc: StratusProcess, graceSeconds: number): Promise<void> {
  return new Promise((resolve) => {
    // A process serves until told to stop, even when nothing else holds the event loop open
    // (a compute host with only bus consumers, or `all` before any listener exists).
    const keepAlive = setInterval(() => undefined, 1 << 30);
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        proc.logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      signalled = true;
      proc.logger.info({ signal }, 'stopping');
      const force = setTimeout(() => {
        proc.logger.error('graceful shutdown timed out: exiting');
        process.exit(1);
      }, graceSeconds * 1000);
      force.unref();
      proc.stop().then(
        () => {
          clearTimeout(force);
          clearInterval(keepAlive);
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          resolve();
        },
        (err: unknown) => {
          proc.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
