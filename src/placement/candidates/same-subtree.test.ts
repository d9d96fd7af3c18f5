import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { dialectSuite } from '../../../test/harness/dialects.js';
import { NN, createNumaNetworkFixture } from '../testing/numa-network-fixture.js';
import { startPlacementTestApp, type PlacementTestApp } from '../testing/placement-test-app.js';

const nameOf = (uuid: string) => Object.entries(NN).find(([, u]) => u === uuid)?.[0] ?? uuid;

// Upstream's granular-same-subtree cases (1.36) on the NUMA/network fixture.
dialectSuite('sqlite', 'allocation candidates: same_subtree and resourceless groups', (dialect) => {
  let t: PlacementTestApp;
  before(async () => {
    t = await startPlacementTestApp(dialect);
    await createNumaNetworkFixture(t);
  });
  after(() => t.close());
  const get = async (q: Record<string, string | string[]>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) for (const x of [v].flat()) params.append(k, x);
    const r = await t.request('GET', `/allocation_candidates?${params}`, { version: '1.36' });
    assert.equal(r.status, 200, r.body);
    return r.json;
  };

  const counts: [string, Record<string, string | string[]>, number][] = [
    [
      'no resourceless without same subtree',
      { resources_COMPUTE: 'VCPU:1', resources_ACCEL: 'FPGA:1', group_policy: 'none' },
      6,
    ],
    [
      'no resourceless with single same subtree',
      {
        resources_COMPUTE: 'VCPU:1',
        resources_ACCEL: 'FPGA:1',
        same_subtree: '_COMPUTE',
        group_policy: 'none',
      },
      6,
    ],
    [
      'no resourceless with same subtree',
      {
        resources_COMPUTE: 'VCPU:1',
        resources_ACCEL: 'FPGA:1',
        same_subtree: '_COMPUTE,_ACCEL',
        group_policy: 'none',
      },
      3,
    ],
    [
      'same subtree same provider',
      {
        resources_COMPUTE1: 'VCPU:1',
        resources_COMPUTE2: 'MEMORY_MB:1024',
        same_subtree: '_COMPUTE1,_COMPUTE2',
        group_policy: 'none',
      },
      3,
    ],
    [
      'same subtree same provider isolate',
      {
        resources_COMPUTE1: 'VCPU:1',
        resources_COMPUTE2: 'MEMORY_MB:1024',
        same_subtree: '_COMPUTE1,_COMPUTE2',
        group_policy: 'isolate',
      },
      0,
    ],
    [
      'resourceful without same subtree',
      {
        resources: 'VCPU:1',
        resources_PORT1: 'CUSTOM_VF:4',
        required_PORT1: 'CUSTOM_PHYSNET1',
        resources_PORT2: 'CUSTOM_VF:4',
        required_PORT2: 'CUSTOM_PHYSNET2',
        group_policy: 'none',
      },
      2,
    ],
    [
      'resourceless with same subtree 2VFs',
      {
        resources: 'VCPU:1',
        required_NIC: 'CUSTOM_HW_NIC_ROOT',
        resources_PORT1: 'CUSTOM_VF:2',
        required_PORT1: 'CUSTOM_PHYSNET1',
        resources_PORT2: 'CUSTOM_VF:2',
        required_PORT2: 'CUSTOM_PHYSNET2',
        same_subtree: '_NIC,_PORT1,_PORT2',
        group_policy: 'none',
      },
      5,
    ],
    [
      'resourceless with same subtree 2VFs isolate',
      {
        resources: 'VCPU:1',
        required_NIC: 'CUSTOM_HW_NIC_ROOT',
        resources_PORT1: 'CUSTOM_VF:2',
        required_PORT1: 'CUSTOM_PHYSNET1',
        resources_PORT2: 'CUSTOM_VF:2',
        required_PORT2: 'CUSTOM_PHYSNET2',
        same_subtree: '_NIC,_PORT1,_PORT2',
        group_policy: 'isolate',
      },
      5,
    ],
    [
      '2+1+1 VFs',
      {
        resources: 'VCPU:1',
        required_NIC: 'CUSTOM_HW_NIC_ROOT',
        resources_PORT1: 'CUSTOM_VF:2',
        required_PORT1: 'CUSTOM_PHYSNET1',
        resources_PORT2A: 'CUSTOM_VF:1',
        required_PORT2A: 'CUSTOM_PHYSNET2',
        resources_PORT2B: 'CUSTOM_VF:1',
        required_PORT2B: 'CUSTOM_PHYSNET2',
        same_subtree: '_NIC,_PORT1,_PORT2A,_PORT2B',
        group_policy: 'none',
      },
      9,
    ],
    [
      '2+1+1 VFs isolate',
      {
        resources: 'VCPU:1',
        required_NIC: 'CUSTOM_HW_NIC_ROOT',
        resources_PORT1: 'CUSTOM_VF:2',
        required_PORT1: 'CUSTOM_PHYSNET1',
        resources_PORT2A: 'CUSTOM_VF:1',
        required_PORT2A: 'CUSTOM_PHYSNET2',
        resources_PORT2B: 'CUSTOM_VF:1',
        required_PORT2B: 'CUSTOM_PHYSNET2',
        same_subtree: '_NIC,_PORT1,_PORT2A,_PORT2B',
        group_policy: 'isolate',
      },
      4,
    ],
    [
      'resourceless same provider isolate',
      {
        resources_PORT1: 'CUSTOM_VF:8',
        required_PORT2: 'CUSTOM_PHYSNET1',
        same_subtree: '_PORT1,_PORT2',
        group_policy: 'isolate',
      },
      0,
    ],
    [
      'multiple resourceless same provider isolate',
      {
        resources_COMPUTE1: 'VCPU:1',
        required_COMPUTE2: 'CUSTOM_FOO',
        required_COMPUTE3: 'HW_NUMA_ROOT',
        same_subtree: '_COMPUTE1,_COMPUTE2,_COMPUTE3',
        group_policy: 'isolate',
      },
      0,
    ],
    [
      '2FPGAs',
      {
        required_NUMA: 'HW_NUMA_ROOT',
        resources_ACCEL1: 'FPGA:1',
        resources_ACCEL2: 'FPGA:1',
        same_subtree: '_NUMA,_ACCEL1,_ACCEL2',
        group_policy: 'isolate',
      },
      2,
    ],
    [
      'duplicate suffixes are squashed',
      {
        required_NUMA: 'HW_NUMA_ROOT',
        resources_ACCEL1: 'FPGA:1',
        resources_ACCEL2: 'FPGA:1',
        same_subtree: '_NUMA,_ACCEL1,_ACCEL2,_NUMA,_ACCEL1',
        group_policy: 'isolate',
      },
      2,
    ],
    [
      '2FPGAs forbidden',
      {
        required_NUMA: 'HW_NUMA_ROOT,!CUSTOM_FOO',
        resources_ACCEL1: 'FPGA:1',
        resources_ACCEL2: 'FPGA:1',
        same_subtree: '_NUMA,_ACCEL1,_ACCEL2',
        group_policy: 'isolate',
      },
      0,
    ],
    [
      'ancestry hole',
      {
        required_MULTI_ATTACH: 'COMPUTE_VOLUME_MULTI_ATTACH',
        resources_BW: 'NET_BW_EGR_KILOBIT_PER_SEC:100',
        resources_COMPUTE: 'VCPU:4',
        same_subtree: '_MULTI_ATTACH,_BW,_COMPUTE',
        group_policy: 'isolate',
      },
      3,
    ],
  ];
  for (const [name, q, n] of counts) {
    it(`${name}: ${n} candidates`, async () => {
      assert.equal((await get(q)).allocation_requests.length, n);
    });
  }

  it('maps resourceless groups to the subtree root that ties the ports together', async () => {
    const r = await get({
      resources: 'VCPU:1',
      required_NIC: 'CUSTOM_HW_NIC_ROOT',
      resources_PORT1: 'CUSTOM_VF:4',
      required_PORT1: 'CUSTOM_PHYSNET1',
      resources_PORT2: 'CUSTOM_VF:4',
      required_PORT2: 'CUSTOM_PHYSNET2',
      same_subtree: '_NIC,_PORT1,_PORT2',
      group_policy: 'none',
    });
    assert.equal(r.allocation_requests.length, 1);
    const [req] = r.allocation_requests;
    assert.deepEqual(Object.keys(req.allocations).map(nameOf).sort(), ['CN2', 'PF1_1', 'PF1_2']);
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(req.mappings).map(([k, v]: [string, any]) => [k, v.map(nameOf)]),
      ),
      { '': ['CN2'], _NIC: ['NIC1'], _PORT1: ['PF1_1'], _PORT2: ['PF1_2'] },
    );
  });

  it('lets several resourceless groups land on the provider of a resourceful one', async () => {
    const r = await get({
      resources_COMPUTE1: 'VCPU:1',
      required_COMPUTE2: 'CUSTOM_FOO',
      required_COMPUTE3: 'HW_NUMA_ROOT',
      same_subtree: '_COMPUTE1,_COMPUTE2,_COMPUTE3',
      group_policy: 'none',
    });
    assert.equal(r.allocation_requests.length, 1);
    assert.deepEqual(Object.keys(r.allocation_requests[0].allocations).map(nameOf), ['NUMA1']);
    assert.deepEqual(
      Object.values(r.allocation_requests[0].mappings).map((v: any) => nameOf(v[0])),
      ['NUMA1', 'NUMA1', 'NUMA1'],
    );
  });

  it('honours several same_subtree parameters at once', async () => {
    const r = await get({
      required_NUMA: 'HW_NUMA_ROOT',
      resources_COMPUTE: 'VCPU:2,MEMORY_MB:512',
      resources_FPGA: 'FPGA:1',
      resources_GPU: 'VGPU:1',
      required_SRIOV: 'CUSTOM_VNIC_TYPE_DIRECT',
      resources_NET1: 'NET_BW_EGR_KILOBIT_PER_SEC:100',
      required_NET1: 'CUSTOM_PHYSNET1',
      resources_NET2: 'NET_BW_EGR_KILOBIT_PER_SEC:100',
      required_NET2: 'CUSTOM_PHYSNET2',
      same_subtree: ['_NUMA,_COMPUTE,_GPU,_FPGA', '_SRIOV,_NET1,_NET2'],
      group_policy: 'none',
    });
    assert.equal(r.allocation_requests.length, 1);
    const m = r.allocation_requests[0].mappings;
    assert.deepEqual(
      Object.fromEntries(Object.entries(m).map(([k, v]: [string, any]) => [k, v.map(nameOf)])),
      {
        _NUMA: ['NUMA0'],
        _COMPUTE: ['NUMA0'],
        _FPGA: ['FPGA0'],
        _GPU: ['PGPU0'],
        _SRIOV: ['SRIOV_AGENT'],
        _NET1: ['ESN1'],
        _NET2: ['ESN2'],
      },
    );
  });

  it('combines overlapping same_subtree parameters (11 summaries)', async () => {
    const overlapping = await get({
      resources_COMPUTE: 'VCPU:1',
      required_NIC: 'CUSTOM_HW_NIC_ROOT',
      resources_PORT1: 'CUSTOM_VF:2',
      required_PORT1: 'CUSTOM_PHYSNET1',
      same_subtree: ['_NIC,_COMPUTE', '_NIC,_PORT1'],
      group_policy: 'none',
    });
    assert.equal(overlapping.allocation_requests.length, 4);
    assert.equal(Object.keys(overlapping.provider_summaries).length, 11);
    const combined = await get({
      resources_COMPUTE: 'VCPU:1',
      required_NIC: 'CUSTOM_HW_NIC_ROOT',
      resources_PORT1: 'CUSTOM_VF:2',
      required_PORT1: 'CUSTOM_PHYSNET1',
      same_subtree: '_NIC,_COMPUTE,_PORT1',
      group_policy: 'none',
    });
    assert.equal(combined.allocation_requests.length, 12);
    assert.equal(Object.keys(combined.provider_summaries).length, 11);
  });
});
