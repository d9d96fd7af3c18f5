import type { PlacementTestApp } from './placement-test-app.js';

/** The aggregates and providers of the granular fixture. */
export const GR = {
  AGGA: '9a9a9a9a-0000-4000-8000-00000000000a',
  AGGB: '9a9a9a9a-0000-4000-8000-00000000000b',
  AGGC: '9a9a9a9a-0000-4000-8000-00000000000c',
  CN_LEFT: '9b9b9b9b-0000-4000-8000-000000000001',
  CN_MIDDLE: '9b9b9b9b-0000-4000-8000-000000000002',
  CN_RIGHT: '9b9b9b9b-0000-4000-8000-000000000003',
  SHR_DISK_1: '9b9b9b9b-0000-4000-8000-000000000004',
  SHR_DISK_2: '9b9b9b9b-0000-4000-8000-000000000005',
  SHR_NET: '9b9b9b9b-0000-4000-8000-000000000006',
} as const;

type Inv = Record<string, { total: number; max_unit?: number }>;

/**
 * Upstream's GranularFixture: three compute nodes with different inventory and traits in
 * aggregates A, A+B and B+C, two sharing disk providers (A; A+B) and a sharing network
 * provider (C).
 */
export async function createGranularFixture(t: PlacementTestApp): Promise<void> {
  const v = { version: '1.39' };
  await t.request('PUT', '/resource_classes/CUSTOM_NET_MBPS', v);
  for (const trait of ['CUSTOM_FOO', 'CUSTOM_DISK_SSD'])
    await t.request('PUT', `/traits/${trait}`, v);
  const provider = async (
    name: keyof typeof GR,
    aggs: string[],
    inventories: Inv,
    traits: string[],
  ) => {
    const uuid = GR[name];
    await t.request('POST', '/resource_providers', {
      ...v,
      body: { name: name.toLowerCase(), uuid },
    });
    await t.request('PUT', `/resource_providers/${uuid}/aggregates`, {
      ...v,
      body: { aggregates: aggs, resource_provider_generation: 0 },
    });
    await t.request('PUT', `/resource_providers/${uuid}/inventories`, {
      ...v,
      body: { resource_provider_generation: 1, inventories },
    });
    const r = await t.request('PUT', `/resource_providers/${uuid}/traits`, {
      ...v,
      body: { resource_provider_generation: 2, traits },
    });
    if (r.status !== 200) throw new Error(`${name}: ${r.body}`);
  };
  await provider(
    'CN_LEFT',
    [GR.AGGA],
    {
      VCPU: { total: 8 },
      MEMORY_MB: { total: 4096 },
      DISK_GB: { total: 500 },
      VGPU: { total: 8 },
      SRIOV_NET_VF: { total: 8 },
      CUSTOM_NET_MBPS: { total: 4000 },
    },
    ['HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2', 'HW_GPU_API_DXVA', 'HW_NIC_DCB_PFC', 'CUSTOM_FOO'],
  );
  await provider(
    'CN_MIDDLE',
    [GR.AGGA, GR.AGGB],
    {
      VCPU: { total: 8 },
      MEMORY_MB: { total: 4096 },
      SRIOV_NET_VF: { total: 8 },
      CUSTOM_NET_MBPS: { total: 4000 },
    },
    ['HW_CPU_X86_AVX', 'HW_CPU_X86_AVX2', 'HW_CPU_X86_SSE', 'HW_NIC_ACCEL_TLS'],
  );
  await provider(
    'CN_RIGHT',
    [GR.AGGB, GR.AGGC],
    {
      VCPU: { total: 8 },
      MEMORY_MB: { total: 4096 },
      DISK_GB: { total: 500 },
      VGPU: { total: 8, max_unit: 2 },
    },
    ['HW_CPU_X86_MMX', 'HW_GPU_API_DXVA', 'CUSTOM_DISK_SSD'],
  );
  await provider('SHR_DISK_1', [GR.AGGA], { DISK_GB: { total: 1000 } }, [
    'MISC_SHARES_VIA_AGGREGATE',
    'CUSTOM_DISK_SSD',
  ]);
  await provider('SHR_DISK_2', [GR.AGGA, GR.AGGB], { DISK_GB: { total: 1000 } }, [
    'MISC_SHARES_VIA_AGGREGATE',
  ]);
  await provider(
    'SHR_NET',
    [GR.AGGC],
    { SRIOV_NET_VF: { total: 16 }, CUSTOM_NET_MBPS: { total: 40000 } },
    ['MISC_SHARES_VIA_AGGREGATE'],
  );
}
