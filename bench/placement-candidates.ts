/**
 * Allocation candidates at scale: 1,000 and 10,000 compute-node providers (VCPU, MEMORY_MB,
 * DISK_GB, a few traits, some aggregates, a third of them partly used), on SQLite and on
 * PostgreSQL, queried over HTTP through the real placement API. Prints the median and p99
 * latency of an unfiltered and of a required/member_of query, each with limit=50.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/common/clock.js';
import { randomIds } from '../src/common/ids.js';
import { NoAuth2Validator } from '../src/platform/auth/noauth2.js';
import type { Database } from '../src/platform/db/database.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openDatabase } from '../src/platform/db/open-database.js';
import { createLogger } from '../src/platform/log/create-logger.js';
import { PolicyEnforcer } from '../src/platform/policy/policy-enforcer.js';
import { buildPlacementApp } from '../src/placement/api/placement-app.js';
import { placementPolicyRules } from '../src/placement/api/policies.js';
import { CandidateService } from '../src/placement/candidates/candidate-service.js';
import { placementMigrations } from '../src/placement/db/migrations.js';
import type { PlacementTables } from '../src/placement/db/tables.js';
import { syncStandardCatalog } from '../src/placement/placement-module.js';
import { write } from '../src/placement/service/placement-deps.js';
import { recordChange } from '../src/placement/store/change-log.js';
import { defaultPlacementConfig } from '../src/placement/testing/placement-test-app.js';
import { postgresAvailable, startPostgres } from '../test/harness/postgres.js';

const SIZES = [1_000, 10_000];
const REQUESTS = 300;
const WARMUP = 30;
const AGGREGATES = Array.from(
  { length: 20 },
  (_, i) => `0000aaaa-0000-4000-8000-${String(i).padStart(12, '0')}`,
);
const QUERIES: [string, string][] = [
  ['resources', 'resources=VCPU:1,MEMORY_MB:512,DISK_GB:10&limit=50'],
  [
    'required+member_of',
    `resources=VCPU:1,MEMORY_MB:512,DISK_GB:10&required=HW_CPU_X86_AVX2,!CUSTOM_MAINTENANCE` +
      `&member_of=in:${AGGREGATES[3]},${AGGREGATES[7]}&limit=50`,
  ],
];

/** A small seeded PRNG (mulberry32), so that every run builds the same cloud. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function populate(db: Database<PlacementTables>, n: number): Promise<void> {
  const k = db.kysely;
  const rnd = prng(n);
  const ts = new Date().toISOString().replace('Z', '000Z');
  const ids = await k.selectFrom('placement_resource_classes').select(['id', 'name']).execute();
  const rc = Object.fromEntries(ids.map((r) => [r.name, r.id]));
  await k
    .insertInto('placement_traits')
    .values({ name: 'CUSTOM_MAINTENANCE', created_at: ts, updated_at: null })
    .execute();
  const traits = Object.fromEntries(
    (await k.selectFrom('placement_traits').select(['id', 'name']).execute()).map((r) => [
      r.name,
      r.id,
    ]),
  );
  await k
    .insertInto('placement_aggregates')
    .values(AGGREGATES.map((uuid) => ({ uuid, created_at: ts })))
    .execute();
  const aggIds = (
    await k.selectFrom('placement_aggregates').select(['id', 'uuid']).orderBy('id').execute()
  ).map((r) => r.id);
  const CHUNK = 400;
  for (let start = 0; start < n; start += CHUNK) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + CHUNK); i++) {
      const hex = i.toString(16).padStart(12, '0');
      rows.push({
        uuid: `cccccccc-0000-4000-8000-${hex}`,
        name: `compute-${i}`,
        generation: 1,
        root_provider_id: null,
        parent_provider_id: null,
        created_at: ts,
        updated_at: null,
      });
    }
    await k.insertInto('placement_resource_providers').values(rows).execute();
  }
  await k
    .updateTable('placement_resource_providers')
    .set((eb) => ({ root_provider_id: eb.ref('id') }))
    .execute();
  const providers = (
    await k.selectFrom('placement_resource_providers').select('id').orderBy('id').execute()
  ).map((r) => r.id);
  const inventories: any[] = [];
  const providerTraits: any[] = [];
  const providerAggs: any[] = [];
  const allocations: any[] = [];
  for (const id of providers) {
    const vcpu = [16, 32, 64][Math.floor(rnd() * 3)]!;
    const mem = vcpu * 4096;
    for (const [name, total, ratio] of [
      ['VCPU', vcpu, 4.0],
      ['MEMORY_MB', mem, 1.0],
      ['DISK_GB', 2000, 1.0],
    ] as const) {
      inventories.push({
        resource_provider_id: id,
        resource_class_id: rc[name],
        total,
        reserved: name === 'MEMORY_MB' ? 512 : 0,
        min_unit: 1,
        max_unit: total,
        step_size: 1,
        allocation_ratio: ratio,
        created_at: ts,
        updated_at: null,
      });
    }
    for (const [trait, share] of [
      ['HW_CPU_X86_AVX2', 0.5],
      ['HW_CPU_X86_SSE42', 0.9],
      ['STORAGE_DISK_SSD', 0.3],
      ['COMPUTE_NET_ATTACH_INTERFACE', 1.0],
      ['CUSTOM_MAINTENANCE', 0.05],
    ] as const) {
      if (rnd() < share) providerTraits.push({ resource_provider_id: id, trait_id: traits[trait] });
    }
    const a1 = Math.floor(rnd() * AGGREGATES.length);
    providerAggs.push({ resource_provider_id: id, aggregate_id: aggIds[a1] });
    if (rnd() < 0.3) {
      const a2 = (a1 + 1 + Math.floor(rnd() * (AGGREGATES.length - 1))) % AGGREGATES.length;
      providerAggs.push({ resource_provider_id: id, aggregate_id: aggIds[a2] });
    }
    if (rnd() < 0.33) {
      const consumer = `dddddddd-0000-4000-8000-${id.toString(16).padStart(12, '0')}`;
      // Some hosts are full for VCPU, the rest partly used.
      const used = rnd() < 0.2 ? vcpu * 4 : Math.ceil(vcpu * rnd());
      allocations.push(
        {
          resource_provider_id: id,
          consumer_id: consumer,
          resource_class_id: rc.VCPU,
          used,
          created_at: ts,
          updated_at: null,
        },
        {
          resource_provider_id: id,
          consumer_id: consumer,
          resource_class_id: rc.MEMORY_MB,
          used: 2048,
          created_at: ts,
          updated_at: null,
        },
      );
    }
  }
  for (const [table, rows] of [
    ['placement_inventories', inventories],
    ['placement_provider_traits', providerTraits],
    ['placement_provider_aggregates', providerAggs],
    ['placement_allocations', allocations],
  ] as const) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      await k
        .insertInto(table)
        .values(rows.slice(i, i + CHUNK))
        .execute();
    }
  }
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

interface Row {
  dialect: string;
  providers: number;
  query: string;
  p50: number;
  p99: number;
  /** CPU time of this process (client and server) per request: less load-sensitive. */
  cpu: number;
  candidates: number;
}

async function measure(dialect: string, url: string, n: number): Promise<Row[]> {
  const db = (await openDatabase(url)) as Database<PlacementTables>;
  const logger = createLogger({ service: 'placement-bench', host: 'bench', silent: true });
  const deps = {
    database: db,
    clock: systemClock,
    ids: randomIds,
    logger,
    config: defaultPlacementConfig(),
  };
  try {
    await migrate(db, placementMigrations);
    await syncStandardCatalog(deps);
    await populate(db, n);
    await write(deps, (trx) => recordChange(trx, []));
    const app = buildPlacementApp({
      deps,
      logger,
      validator: new NoAuth2Validator(),
      enforcer: new PolicyEnforcer(placementPolicyRules()),
      candidates: new CandidateService(deps),
      bodyLimit: 1 << 20,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const rows: Row[] = [];
    try {
      for (const [name, query] of QUERIES) {
        const times: number[] = [];
        let candidates = 0;
        let cpuStart = process.cpuUsage();
        for (let i = 0; i < WARMUP + REQUESTS; i++) {
          const started = performance.now();
          const res = await fetch(`${base}/allocation_candidates?${query}`, {
            headers: { 'x-auth-token': 'admin', 'openstack-api-version': 'placement 1.39' },
          });
          const body = (await res.json()) as { allocation_requests: unknown[] };
          const ms = performance.now() - started;
          if (res.status !== 200) throw new Error(`${res.status}: ${JSON.stringify(body)}`);
          candidates = body.allocation_requests.length;
          if (i >= WARMUP) times.push(ms);
          if (i === WARMUP - 1) cpuStart = process.cpuUsage();
        }
        const cpuUsed = process.cpuUsage(cpuStart);
        times.sort((a, b) => a - b);
        rows.push({
          dialect,
          providers: n,
          query: name,
          p50: percentile(times, 50),
          p99: percentile(times, 99),
          cpu: (cpuUsed.user + cpuUsed.system) / 1000 / REQUESTS,
          candidates,
        });
      }
    } finally {
      await app.close();
    }
    return rows;
  } finally {
    await db.close();
  }
}

function printTable(rows: Row[]): void {
  const header = ['dialect', 'providers', 'query', 'p50 ms', 'p99 ms', 'cpu ms/req', 'candidates'];
  const cells = rows.map((r) => [
    r.dialect,
    String(r.providers),
    r.query,
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    r.cpu.toFixed(2),
    String(r.candidates),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) console.log(line(c));
  console.log(
    `(${REQUESTS} sequential requests per row after ${WARMUP} warm-up ones, over HTTP on ` +
      `loopback, client and server in one process; load average at the end: ` +
      `${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} on ${cpus().length} CPUs)`,
  );
}

/** Runs the allocation candidates benchmark on SQLite and, when installed, PostgreSQL. */
export async function runPlacementCandidatesBench(): Promise<void> {
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'stratus-placement-bench-'));
  try {
    for (const n of SIZES)
      rows.push(...(await measure('sqlite', `sqlite:///${join(dir, `bench-${n}.db`)}`, n)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (postgresAvailable()) {
    const pg = await startPostgres();
    try {
      for (const n of SIZES)
        rows.push(...(await measure('postgres', await pg.createDatabase(`bench_${n}`), n)));
    } finally {
      await pg.stop();
    }
  } else {
    console.log('PostgreSQL server binaries not found: PostgreSQL rows skipped');
  }
  printTable(rows);
}
