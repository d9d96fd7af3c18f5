import { StratusError } from '../../common/errors.js';
import type { BusObserver } from './bus.js';

/**
 * Runs a call and reports its latency and outcome to the observer, if any. The observer's own
 * exceptions are swallowed so metrics can never break a call.
 */
export async function observeCall<T>(
  observer: BusObserver | undefined,
  topic: string,
  method: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!observer) return work();
  const started = performance.now();
  try {
    const result = await work();
    report(observer, topic, method, started, true);
    return result;
  } catch (err) {
    const code = err instanceof StratusError ? err.code : 'internal';
    report(observer, topic, method, started, false, code);
    throw err;
  }
}

function report(
  observer: BusObserver,
  topic: string,
  method: string,
  started: number,
  ok: boolean,
  code?: string,
): void {
  try {
    observer.onCall(topic, method, performance.now() - started, ok, code);
  } catch {
    // A broken metrics hook must not turn a successful call into a failure.
  }
}
