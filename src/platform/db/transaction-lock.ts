import { sql, type Kysely } from 'kysely';
import type { DialectName } from './database.js';

/**
 * Holds a named lock until the transaction `trx` ends, so that transactions taking the same
 * `namespace`/`key` run their critical section one after the other: a transaction-scoped
 * PostgreSQL advisory lock (its wait bounded by the session's lock_timeout). On SQLite nothing is
 * needed: a Stratus transaction begins IMMEDIATE and holds the only write lock already.
 */
export async function lockForTransaction(
  trx: Kysely<any>,
  dialect: DialectName,
  namespace: string,
  key: string,
): Promise<void> {
  if (dialect !== 'postgres') return;
  // The two-int form keeps these keys apart from single-bigint locks such as the migrations'.
  await sql`select pg_advisory_xact_lock(hashtext(${namespace}), hashtext(${key}))`.execute(trx);
}
