import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDialect } from '../../../test/harness/dialects.js';
import type { Database } from '../../platform/db/database.js';
import { Microversion } from '../api/microversion.js';
import { placementMigrations } from '../db/migrations.js';
import type { PlacementTables } from '../db/tables.js';
import { syncStandardCatalog } from '../placement-module.js';
import { writeAllocations } from '../service/allocation-writer.js';
import { replaceAllInventories } from '../service/inventory-service.js';
import { write } from '../service/placement-deps.js';
import { createResourceProvider, deleteResourceProvider } from '../service/provider-service.js';
import { addResourceClass } from '../service/resource-class-service.js';
import { pruneChanges } from '../store/change-log.js';
import { testDeps } from '../testing/placement-test-app.js';
import { CandidateService } from './candidate-service.js';

const V = new Microversion(1, 39);
const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const B = 'aaaaaaaa-0000-4000-8000-000000000002';

function inv(total: number) {
  return { total, reserved: 0, min_unit: 1, max_unit: total, step_size: 1, allocation_ratio: 1 };
}

forEachDialect('placement candidate index across replicas', (dialect) => {
  it('sees what another replica wrote: providers, inventory, usage, classes, deletions', async () => {
    const url = await dialect.freshUrl();
    const writerDb = (await dialect.open({
      url,
      migrations: [placementMigrations],
    })) as Database<PlacementTables>;
    const readerDb = (await dialect.open({ url })) as Database<PlacementTables>;
    const writer = testDeps(writerDb);
    await syncStandardCatalog(writer);
    const reader = new CandidateService(testDeps(readerDb));
    const find = async (q: string) =>
      (await reader.find(new URLSearchParams(q), V)) as {
        allocation_requests: any[];
        provider_summaries: any;
      };
    assert.equal((await find('resources=VCPU:1')).allocation_requests.length, 0);

    await createResourceProvider(writer, { uuid: A, name: 'a', parentUuid: null });
    await replaceAllInventories(writer, V, A, 0, new Map([['VCPU', inv(4)]]));
    assert.equal((await find('resources=VCPU:1')).allocation_requests.length, 1);

    await writeAllocations(
      writer,
      [
        {
          consumerUuid: 'cccccccc-0000-4000-8000-000000000001',
          projectId: 'p',
          userId: 'u',
          generation: null,
          allocations: new Map([[A, new Map([['VCPU', 3]])]]),
        },
      ],
      { checkGenerations: true },
    );
    assert.equal((await find('resources=VCPU:2')).allocation_requests.length, 0);
    assert.deepEqual((await find('resources=VCPU:1')).provider_summaries[A].resources.VCPU, {
      capacity: 4,
      used: 3,
    });

    await addResourceClass(writer, 'CUSTOM_GOLD');
    await createResourceProvider(writer, { uuid: B, name: 'b', parentUuid: null });
    await replaceAllInventories(writer, V, B, 0, new Map([['CUSTOM_GOLD', inv(1)]]));
    assert.equal((await find('resources=CUSTOM_GOLD:1')).allocation_requests.length, 1);

    await deleteResourceProvider(writer, B);
    assert.equal((await find('resources=CUSTOM_GOLD:1')).allocation_requests.length, 0);
  });

  it('reloads everything when it fell behind the pruned change log', async () => {
    const url = await dialect.freshUrl();
    const db = (await dialect.open({
      url,
      migrations: [placementMigrations],
    })) as Database<PlacementTables>;
    const deps = testDeps(db);
    await syncStandardCatalog(deps);
    const reader = new CandidateService(deps);
    await reader.find(new URLSearchParams('resources=VCPU:1'), V);
    await createResourceProvider(deps, { uuid: A, name: 'a', parentUuid: null });
    await replaceAllInventories(deps, V, A, 0, new Map([['VCPU', inv(4)]]));
    await write(deps, (trx) => pruneChanges(trx, 0));
    const rows = await db.kysely.selectFrom('placement_changes').selectAll().execute();
    assert.equal(rows.length, 0);
    const r = (await reader.find(new URLSearchParams('resources=VCPU:1'), V)) as any;
    assert.equal(r.allocation_requests.length, 1);
  });
});
