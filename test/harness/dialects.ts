/**
 * Runs the same store tests on every SQL dialect (ARCHITECTURE.md §6: store tests over every
 * dialect). Usage, in e.g. `src/placement/store.test.ts`:
 *
 *   import { test } from 'node:test';
 *   import { forEachDialect } from '../../test/harness/dialects.js';
 *
 *   forEachDialect('placement store', (ctx) => {
 *     test('creates a provider', async () => {
 *       const db = await ctx.open({ migrations: [placementMigrations] });
 *       // … db.kysely is a fresh, migrated database of dialect ctx.dialect …
 *     });
 *   });
 *
 * This registers one `describe` per dialect: `placement store [sqlite]` on a temp file and
 * `placement store [postgres]` on a private server started once for the describe (a fresh
 * database per `open()`). A Database opened inside a test is closed after that test; one opened
 * in a `before` hook is closed after the suite; temp files and the server are removed at the end.
 * Without PostgreSQL binaries the postgres describe is skipped with a message, unless CI=true.
 * Use `dialectSuite(dialect, …)` to run one dialect only, e.g. one test file per dialect.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe } from 'node:test';
import type { Database, DialectName } from '../../src/platform/db/database.js';
import type { DialectContext } from '../../src/platform/db/dialect-context.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { openDatabase } from '../../src/platform/db/open-database.js';
import { postgresSkip, startPostgres, type PostgresServer } from './postgres.js';

export type { DialectContext } from '../../src/platform/db/dialect-context.js';

/** Every dialect, in the order forEachDialect registers them. */
export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** Registers `body` once per dialect, each inside its own describe with its own databases. */
export function forEachDialect(name: string, body: (ctx: DialectContext) => void): void {
  for (const dialect of DIALECTS) dialectSuite(dialect, name, body);
}

/** Registers `body` inside a describe named `name [dialect]` that provides fresh databases. */
export function dialectSuite(
  dialect: DialectName,
  name: string,
  body: (ctx: DialectContext) => void,
): void {
  const skip = dialect === 'postgres' ? postgresSkip() : false;
  describe(`${name} [${dialect}]`, { skip }, () => {
    let server: PostgresServer | undefined;
    let dir: string | undefined;
    let files = 0;
    let inTest = false;
    const suiteDbs: Database[] = [];
    const testDbs: Database[] = [];

    before(async () => {
      if (dialect === 'postgres') server = await startPostgres();
      else dir = mkdtempSync(join(tmpdir(), 'stratus-sqlite-'));
    });
    beforeEach(() => {
      inTest = true;
    });
    afterEach(async () => {
      inTest = false;
      await closeAll(testDbs);
    });
    after(async () => {
      await closeAll(testDbs);
      await closeAll(suiteDbs);
      await server?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const ctx: DialectContext = {
      dialect,
      async freshUrl() {
        if (server) return server.createDatabase(name);
        if (!dir) throw new Error('freshUrl() called before the suite started');
        files += 1;
        // Four slashes: an absolute path, as SQLAlchemy reads sqlite URLs.
        return `sqlite:///${join(dir, `db-${files}.sqlite`)}`;
      },
      async open(opts = {}) {
        const url = opts.url ?? (await ctx.freshUrl());
        const db = await openDatabase(url, opts.options);
        (inTest ? testDbs : suiteDbs).push(db);
        for (const set of opts.migrations ?? []) await migrate(db, set);
        return db;
      },
    };
    body(ctx);
  });
}

async function closeAll(dbs: Database[]): Promise<void> {
  const open = dbs.splice(0);
  await Promise.allSettled(open.map((db) => db.close()));
}
