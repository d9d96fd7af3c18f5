import type { Database } from './database.js';
import type { OpenDatabaseOptions } from './open-options.js';
import { openPostgres } from './open-postgres.js';
import { openSqlite } from './open-sqlite.js';
import { parseDatabaseUrl } from './parse-database-url.js';

/**
 * Opens the database named by an oslo.db-style URL (`sqlite:///stratus.db`,
 * `postgresql://user:pw@host:5432/nova`). Throws ConfigError for a bad URL and, on PostgreSQL,
 * ServiceUnavailableError when the server cannot be reached within connectTimeoutMs.
 */
export async function openDatabase(url: string, opts: OpenDatabaseOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') return openSqlite(target.filename, target.safeUrl, opts);
  return openPostgres(target.connectionString, target.safeUrl, opts);
}
