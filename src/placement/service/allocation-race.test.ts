import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDialect, type DialectContext } from '../../../test/harness/dialects.js';
import type { Database } from '../../platform/db/database.js';
import { allocationWriteFailure } from '../api/routes/allocation-body.js';
import { placementMigrations } from '../db/migrations.js';
import type { PlacementTables } from '../db/tables.js';
import { PlacementError } from '../placement-errors.js';
import { syncStandardCatalog } from '../placement-module.js';
import { testDeps } from '../testing/placement-test-app.js';
import {
  AllocationWriteError,
  writeAllocations,
  type ConsumerAllocations,
} from './allocation-writer.js';
import { replaceAllInventories } from './inventory-service.js';
import { createResourceProvider } from './provider-service.js';
import { Microversion } from '../api/microversion.js';

const RP = '0c8f4a9e-5d3b-4b7e-8f0a-1a2b3c4d5e6f';

function claim(consumerUuid: string, amount = 1): ConsumerAllocations {
  return {
    consumerUuid,
    projectId: 'p',
    userId: 'u',
    generation: null,
    allocations: new Map([[RP, new Map([['VCPU', amount]])]]),
  };
}

/**
 * Two placement replicas on one database: on PostgreSQL each has its own connection pool. On
 * SQLite they share the process's single connection, as `stratus all` does: a second
 * better-sqlite3 connection in the same process would wait for the first one's lock
 * synchronously, blocking the event loop that the first one needs to commit.
 */
async function replicas(dialect: DialectContext) {
  const url = await dialect.freshUrl();
  const first = (await dialect.open({
    url,
    migrations: [placementMigrations],
  })) as Database<PlacementTables>;
  const second =
    dialect.dialect === 'postgres'
      ? ((await dialect.open({ url })) as Database<PlacementTables>)
      : first;
  return [testDeps(first), testDeps(second)] as const;
}

/** Resolves when `n` callers have arrived: makes two writers read before either writes. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  return async () => {
    arrived += 1;
    if (arrived === n) release();
    await all;
  };
}

function vcpu(total: number, reserved: number, maxUnit: number) {
  return new Map([
    [
      'VCPU',
      { total, reserved, min_unit: 1, max_unit: maxUnit, step_size: 1, allocation_ratio: 1 },
    ],
  ]);
}

forEachDialect('placement allocation races', (dialect) => {
  it('two claims racing for the last unit from two replicas: one wins, the other gets 409 concurrent_update', async () => {
    const [a, b] = await replicas(dialect);
    await syncStandardCatalog(a);
    await createResourceProvider(a, { uuid: RP, name: 'host', parentUuid: null });
    await replaceAllInventories(a, new Microversion(1, 39), RP, 0, vcpu(2, 1, 1));

    const both = barrier(2);
    const results = await Promise.allSettled([
      writeAllocations(a, [claim('11111111-1111-4111-8111-111111111111')], {
        checkGenerations: true,
        afterSnapshot: both,
      }),
      writeAllocations(b, [claim('22222222-2222-4222-8222-222222222222')], {
        checkGenerations: true,
        afterSnapshot: both,
      }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.ok(lost[0]!.reason instanceof AllocationWriteError, String(lost[0]!.reason));
    const http = allocationWriteFailure(lost[0]!.reason, '');
    assert.ok(http instanceof PlacementError);
    assert.equal(http.status, 409);
    assert.equal(http.code, 'placement.concurrent_update');

    const used = await a.database.kysely
      .selectFrom('placement_allocations')
      .select((eb) => eb.fn.sum<number>('used').as('used'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(used.used), 1);

    // Once the race is over, the same claim is simply refused: no capacity, no race.
    await assert.rejects(
      writeAllocations(b, [claim('33333333-3333-4333-8333-333333333333')], {
        checkGenerations: true,
      }),
      (err: unknown) => err instanceof AllocationWriteError && err.kind === 'invalid_inventory',
    );
  });

  it('many concurrent claims with room for all succeed through server-side retries', async () => {
    const [a, b] = await replicas(dialect);
    await syncStandardCatalog(a);
    await createResourceProvider(a, { uuid: RP, name: 'host', parentUuid: null });
    await replaceAllInventories(a, new Microversion(1, 39), RP, 0, vcpu(100, 0, 100));
    const start = barrier(8);
    const claims = Array.from({ length: 8 }, (_, i) =>
      writeAllocations(i % 2 ? a : b, [claim(`4444444${i}-4444-4444-8444-444444444444`, 2)], {
        checkGenerations: true,
        afterSnapshot: start,
      }),
    );
    const results = await Promise.allSettled(claims);
    assert.deepEqual(
      results.map((r) => r.status),
      Array(8).fill('fulfilled'),
    );
    const rp = await a.database.kysely
      .selectFrom('placement_resource_providers')
      .select('generation')
      .executeTakeFirstOrThrow();
    assert.equal(rp.generation, 1 + 8);
  });
});
