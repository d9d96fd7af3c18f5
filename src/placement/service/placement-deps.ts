import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import type { IdGenerator } from '../../common/ids.js';
import type { Database } from '../../platform/db/database.js';
import { withTransaction } from '../../platform/db/with-transaction.js';
import type { PlacementTables, PlacementTrx } from '../db/tables.js';
import type { PlacementConfig } from '../placement-options.js';

/** What every placement operation needs: the database and the process's clock, ids and logger. */
export interface PlacementDeps {
  database: Database<PlacementTables>;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  config: PlacementConfig['placement'];
}

/** Runs `fn` in a write transaction (retried on serialization failures and SQLite busy). */
export function write<T>(deps: PlacementDeps, fn: (trx: PlacementTrx) => Promise<T>): Promise<T> {
  return withTransaction(deps.database, fn);
}
