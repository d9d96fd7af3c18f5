import type { Transaction } from 'kysely';
import { jitteredBackoff, sleep } from '../../common/deadline.js';
import type { Database } from './database.js';
import { isRetryableTransactionError } from './db-errors.js';
import { shareTemplates } from './query-templates.js';

/** How withTransaction runs and retries; every field has a default. */
export interface TransactionOptions {
  /** Total attempts, including the first (default 5), as oslo.db's wrap_db_retry bounds them. */
  attempts?: number;
  /** Base of the jittered exponential backoff between attempts (default 20 ms). */
  baseDelayMs?: number;
  /** Ceiling of one backoff delay (default 1000 ms). */
  maxDelayMs?: number;
  /** PostgreSQL isolation level; SQLite transactions are always serializable. */
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  /** Stops retrying (and the backoff sleep) when aborted, e.g. at a request's deadline. */
  signal?: AbortSignal;
}

/**
 * Runs `fn` in a transaction, committing when it resolves and rolling back when it throws;
 * serialization failures, deadlocks and SQLite busy errors rerun the whole of `fn` after a
 * jittered backoff, a bounded number of times. `fn` may therefore run more than once: it must
 * keep its side effects inside the transaction. The last error is rethrown unchanged.
 */
export async function withTransaction<DB, T>(
  db: Database<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 5);
  for (let attempt = 0; ; attempt++) {
    try {
      let builder = db.kysely.transaction();
      if (opts.isolation && db.dialect === 'postgres') {
        builder = builder.setIsolationLevel(opts.isolation);
      }
      return await builder.execute((trx) => {
        shareTemplates(trx, db.kysely);
        return fn(trx);
      });
    } catch (err) {
      if (attempt + 1 >= attempts || !isRetryableTransactionError(err) || opts.signal?.aborted) {
        throw err;
      }
      // Full jitter so that the transactions that collided do not collide again in lockstep.
      await sleep(
        jitteredBackoff(attempt, opts.baseDelayMs ?? 20, opts.maxDelayMs ?? 1_000),
        opts.signal,
      );
    }
  }
}
