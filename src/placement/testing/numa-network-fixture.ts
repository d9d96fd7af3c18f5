import type { PlacementTestApp } from './placement-test-app.js';

/** Provider names of the NUMA/network fixture mapped to fixed UUIDs. */
export const NN: Record<string, string> = Object.fromEntries(
  [
    'AGGA',
    'SS1',
    'CN1',
    'NUMA0',
    'NUMA1',
    'FPGA0',
    'PGPU0',
    'FPGA1_0',
    'FPGA1_1',
    'SRIOV_AGENT',
    'ESN1',
    'ESN2',
    'OVS_AGENT',
    'BR_INT',
    'CN2',
    'NIC1',
    'NIC2',
    'NIC3',
    'PF1_1',
    'PF1_2',
    'PF2_1',
    'PF2_2',
    'PF2_3',
    'PF2_4',
    'PF3_1',
  ].map((n, i) => [n, `c0ffee00-0000-4000-8000-${String(i + 1).padStart(12, '0')}`]),
);

/**
 * Upstream's NUMANetworkFixture: cn1 (no inventory) with two NUMA nodes (VCPU, MEMORY_MB with
 * min_unit/step_size/max_unit, FPGA and VGPU children), an SR-IOV agent with two egress
 * bandwidth devices and an OVS agent with one; cn2 (VCPU, MEMORY_MB, DISK_GB) with three NICs
 * parenting PFs of CUSTOM_VF on two physnets; and a sharing DISK_GB provider in aggregate A.
 */
export async function createNumaNetworkFixture(t: PlacementTestApp): Promise<void> {
  const v = { version: '1.39' };
  const ok = (r: { status: number; body: string }, what: string) => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.body}`);
  };
  const gen = async (n: string) =>
    (await t.request('GET', `/resource_providers/${NN[n]}`, v)).json.generation as number;
  const create = async (name: string, parent?: string) =>
    ok(
      await t.request('POST', '/resource_providers', {
        ...v,
        body: {
          name: name.toLowerCase(),
          uuid: NN[name],
          ...(parent ? { parent_provider_uuid: NN[parent] } : {}),
        },
      }),
      `create ${name}`,
    );
  const inventory = async (n: string, inventories: Record<string, unknown>) =>
    ok(
      await t.request('PUT', `/resource_providers/${NN[n]}/inventories`, {
        ...v,
        body: { resource_provider_generation: await gen(n), inventories },
      }),
      `inventory ${n}`,
    );
  const traits = async (n: string, names: string[]) =>
    ok(
      await t.request('PUT', `/resource_providers/${NN[n]}/traits`, {
        ...v,
        body: { resource_provider_generation: await gen(n), traits: names },
      }),
      `traits ${n}`,
    );
  const aggregate = async (n: string) =>
    ok(
      await t.request('PUT', `/resource_providers/${NN[n]}/aggregates`, {
        ...v,
        body: { resource_provider_generation: await gen(n), aggregates: [NN.AGGA] },
      }),
      `aggregate ${n}`,
    );
  const allocate = async (n: string, consumer: string, resources: Record<string, number>) =>
    ok(
      await t.request('PUT', `/allocations/${consumer}`, {
        ...v,
        body: {
          allocations: { [NN[n]!]: { resources } },
          project_id: 'numafx-project',
          user_id: 'numafx-user',
          consumer_generation: null,
          consumer_type: 'INSTANCE',
        },
      }),
      `allocate ${n}`,
    );
  for (const trait of [
    'CUSTOM_FOO',
    'CUSTOM_VNIC_TYPE_DIRECT',
    'CUSTOM_VNIC_TYPE_NORMAL',
    'CUSTOM_PHYSNET0',
    'CUSTOM_PHYSNET1',
    'CUSTOM_PHYSNET2',
    'CUSTOM_HW_NIC_ROOT',
  ]) {
    await t.request('PUT', `/traits/${trait}`, v);
  }
  await t.request('PUT', '/resource_classes/CUSTOM_VF', v);

  await create('SS1');
  await aggregate('SS1');
  await traits('SS1', ['MISC_SHARES_VIA_AGGREGATE']);
  await inventory('SS1', { DISK_GB: { total: 2000 } });
  await create('CN1');
  await aggregate('CN1');
  await traits('CN1', ['COMPUTE_VOLUME_MULTI_ATTACH']);
  for (const i of [0, 1]) {
    await create(`NUMA${i}`, 'CN1');
    await traits(`NUMA${i}`, i === 1 ? ['HW_NUMA_ROOT', 'CUSTOM_FOO'] : ['HW_NUMA_ROOT']);
  }
  await inventory('NUMA0', {
    VCPU: { total: 4 },
    MEMORY_MB: { total: 2048, min_unit: 512, step_size: 256 },
  });
  await inventory('NUMA1', {
    VCPU: { total: 4 },
    MEMORY_MB: { total: 2048, min_unit: 256, max_unit: 1024 },
  });
  await allocate('NUMA0', 'd0d0d0d0-0000-4000-8000-000000000001', { VCPU: 2 });
  await create('FPGA0', 'NUMA0');
  await inventory('FPGA0', { FPGA: { total: 1 } });
  await create('PGPU0', 'NUMA0');
  await inventory('PGPU0', { VGPU: { total: 8 } });
  for (const i of [0, 1]) {
    await create(`FPGA1_${i}`, 'NUMA1');
    await inventory(`FPGA1_${i}`, { FPGA: { total: 1 } });
  }
  await create('SRIOV_AGENT', 'CN1');
  await traits('SRIOV_AGENT', ['CUSTOM_VNIC_TYPE_DIRECT']);
  for (const i of [1, 2]) {
    await create(`ESN${i}`, 'SRIOV_AGENT');
    await traits(`ESN${i}`, [`CUSTOM_PHYSNET${i}`]);
    await inventory(`ESN${i}`, { NET_BW_EGR_KILOBIT_PER_SEC: { total: 10000 * i } });
  }
  await create('OVS_AGENT', 'CN1');
  await traits('OVS_AGENT', ['CUSTOM_VNIC_TYPE_NORMAL']);
  await create('BR_INT', 'OVS_AGENT');
  await traits('BR_INT', ['CUSTOM_PHYSNET0']);
  await inventory('BR_INT', { NET_BW_EGR_KILOBIT_PER_SEC: { total: 1000 } });
  await create('CN2');
  await aggregate('CN2');
  await inventory('CN2', {
    VCPU: { total: 8 },
    MEMORY_MB: { total: 2048, min_unit: 1024, step_size: 128 },
    DISK_GB: { total: 1000 },
  });
  await allocate('CN2', 'd0d0d0d0-0000-4000-8000-000000000002', { VCPU: 3 });
  await traits('CN2', ['CUSTOM_FOO']);
  for (const i of [1, 2, 3]) {
    await create(`NIC${i}`, 'CN2');
    await traits(`NIC${i}`, ['CUSTOM_HW_NIC_ROOT']);
  }
  for (const i of [1, 2]) {
    await create(`PF1_${i}`, 'NIC1');
    await traits(`PF1_${i}`, [`CUSTOM_PHYSNET${i}`]);
    await inventory(`PF1_${i}`, { CUSTOM_VF: { total: 4 } });
  }
  for (const i of [0, 1, 2, 3]) {
    const n = `PF2_${i + 1}`;
    await create(n, 'NIC2');
    await traits(n, [`CUSTOM_PHYSNET${(i % 2) + 1}`]);
    await inventory(n, { CUSTOM_VF: { total: 2 } });
  }
  await create('PF3_1', 'NIC3');
  await traits('PF3_1', ['CUSTOM_PHYSNET1']);
  await inventory('PF3_1', { CUSTOM_VF: { total: 8 } });
}
