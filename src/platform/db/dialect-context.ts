import type { Database, DialectName, MigrationSet } from './database.js';
import type { OpenDatabaseOptions } from './open-options.js';

/** What a contract or store suite gets from the test harness for one dialect. */
export interface DialectContext {
  readonly dialect: DialectName;
  /** The URL of a new, empty database (its own file, or its own PostgreSQL database). */
  freshUrl(): Promise<string>;
  /** Opens `url` (default: a fresh database), applies `migrations`, and closes it afterwards. */
  open(opts?: {
    url?: string;
    migrations?: MigrationSet[];
    options?: OpenDatabaseOptions;
  }): Promise<Database>;
}
