import type { PlacementTestApp } from './placement-test-app.js';

/** The provider UUIDs of the shared-storage fixture. */
export const SS = {
  AGG: 'f918fd47-0bb6-4ef4-9d6c-6b8a8b5a4d01',
  CN1: 'a1b2c3d4-0001-4000-8000-000000000001',
  CN2: 'a1b2c3d4-0002-4000-8000-000000000002',
  SS: 'a1b2c3d4-0003-4000-8000-000000000003',
  SS2: 'a1b2c3d4-0004-4000-8000-000000000004',
  NUMA1_1: 'a1b2c3d4-0011-4000-8000-000000000011',
  NUMA1_2: 'a1b2c3d4-0012-4000-8000-000000000012',
  NUMA2_1: 'a1b2c3d4-0021-4000-8000-000000000021',
  NUMA2_2: 'a1b2c3d4-0022-4000-8000-000000000022',
  PF1_1: 'a1b2c3d4-0111-4000-8000-000000000111',
  PF1_2: 'a1b2c3d4-0112-4000-8000-000000000112',
  PF2_1: 'a1b2c3d4-0221-4000-8000-000000000221',
  PF2_2: 'a1b2c3d4-0222-4000-8000-000000000222',
} as const;

/**
 * Upstream's SharedStorageFixture: two compute nodes (cn1 without local disk, with SSE
 * traits; cn2 with local disk) and two sharing storage providers in one aggregate; each compute
 * node has two NUMA children with one SR-IOV PF each (8 VFs).
 */
export async function createSharedStorageFixture(t: PlacementTestApp): Promise<void> {
  const v = { version: '1.39' };
  const create = async (name: string, uuid: string, parent?: string) => {
    const r = await t.request('POST', '/resource_providers', {
      ...v,
      body: { name, uuid, ...(parent ? { parent_provider_uuid: parent } : {}) },
    });
    if (r.status !== 200) throw new Error(`create ${name}: ${r.status} ${r.body}`);
  };
  const inventory = async (uuid: string, inventories: Record<string, unknown>) => {
    const gen = (await t.request('GET', `/resource_providers/${uuid}`, v)).json.generation;
    const r = await t.request('PUT', `/resource_providers/${uuid}/inventories`, {
      ...v,
      body: { resource_provider_generation: gen, inventories },
    });
    if (r.status !== 200) throw new Error(`inventory ${uuid}: ${r.status} ${r.body}`);
  };
  const traits = async (uuid: string, names: string[]) => {
    const gen = (await t.request('GET', `/resource_providers/${uuid}`, v)).json.generation;
    await t.request('PUT', `/resource_providers/${uuid}/traits`, {
      ...v,
      body: { resource_provider_generation: gen, traits: names },
    });
  };
  const aggregate = async (uuid: string) => {
    const gen = (await t.request('GET', `/resource_providers/${uuid}`, v)).json.generation;
    await t.request('PUT', `/resource_providers/${uuid}/aggregates`, {
      ...v,
      body: { resource_provider_generation: gen, aggregates: [SS.AGG] },
    });
  };
  for (const [name, uuid] of [
    ['cn1', SS.CN1],
    ['cn2', SS.CN2],
    ['ss', SS.SS],
    ['ss2', SS.SS2],
  ] as const) {
    await create(name, uuid);
    await aggregate(uuid);
  }
  await create('numa1_1', SS.NUMA1_1, SS.CN1);
  await create('numa1_2', SS.NUMA1_2, SS.CN1);
  await create('numa2_1', SS.NUMA2_1, SS.CN2);
  await create('numa2_2', SS.NUMA2_2, SS.CN2);
  await create('pf1_1', SS.PF1_1, SS.NUMA1_1);
  await create('pf1_2', SS.PF1_2, SS.NUMA1_2);
  await create('pf2_1', SS.PF2_1, SS.NUMA2_1);
  await create('pf2_2', SS.PF2_2, SS.NUMA2_2);
  const compute = {
    VCPU: { total: 24, allocation_ratio: 16.0 },
    MEMORY_MB: { total: 128 * 1024, allocation_ratio: 1.5 },
  };
  await inventory(SS.CN1, compute);
  await traits(SS.CN1, ['HW_CPU_X86_SSE', 'HW_CPU_X86_SSE2']);
  await inventory(SS.CN2, {
    ...compute,
    DISK_GB: { total: 2000, reserved: 100, allocation_ratio: 1.0 },
  });
  for (const shared of [SS.SS, SS.SS2]) {
    await inventory(shared, { DISK_GB: { total: 2000, reserved: 100, allocation_ratio: 1.0 } });
    await traits(shared, ['MISC_SHARES_VIA_AGGREGATE']);
  }
  for (const pf of [SS.PF1_1, SS.PF1_2, SS.PF2_1, SS.PF2_2]) {
    await inventory(pf, { SRIOV_NET_VF: { total: 8, allocation_ratio: 1.0 } });
  }
}
