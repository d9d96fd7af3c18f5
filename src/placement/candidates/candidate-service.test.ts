import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { dialectSuite } from '../../../test/harness/dialects.js';
import { startPlacementTestApp, type PlacementTestApp } from '../testing/placement-test-app.js';
import { SS, createSharedStorageFixture } from '../testing/shared-storage-fixture.js';

/** Provider UUIDs of every allocation request, each sorted, then the list sorted. */
function shapes(body: any): string[] {
  return body.allocation_requests
    .map((r: any) =>
      Object.entries(r.allocations)
        .map(
          ([rp, a]: [string, any]) =>
            `${name(rp)}(${Object.entries(a.resources)
              .map(([k, v]) => `${k}:${v}`)
              .sort()
              .join(',')})`,
        )
        .sort()
        .join('+'),
    )
    .sort();
}

function name(uuid: string): string {
  return Object.entries(SS).find(([, u]) => u === uuid)?.[0] ?? uuid;
}

// The engine works on the in-memory index: one dialect exercises it; the index's database
// reads are covered on both dialects by index-sync.test.ts.
dialectSuite('sqlite', 'allocation candidates: shared storage and nested providers', (dialect) => {
  let t: PlacementTestApp;
  before(async () => {
    t = await startPlacementTestApp(dialect);
    await createSharedStorageFixture(t);
  });
  after(() => t.close());
  const get = async (q: string, version: string) => {
    const r = await t.request('GET', `/allocation_candidates?${q}`, { version });
    assert.equal(r.status, 200, r.body);
    return r.json;
  };

  it('is not there before 1.10 and validates its parameters', async () => {
    assert.equal(
      (await t.request('GET', '/allocation_candidates?resources=VCPU:1', { version: '1.8' }))
        .status,
      404,
    );
    const cases: [string, string, RegExp][] = [
      ['resources=', '1.10', /Badly formed resources parameter.*Got: empty string\./],
      ['', '1.10', /'resources' is a required property/],
      ['resources=MCPU:99', '1.10', /Invalid resource class in resources parameter/],
      ['resources=VCPU:1&limit=5', '1.15', /'limit' was unexpected/],
      ['resources=VCPU:1&limit=cow', '1.16', /Failed validating 'pattern'/],
      ['resources=VCPU:1&limit=0', '1.16', /Failed validating 'pattern'/],
      ['resources=VCPU:1&required=HW_CPU_X86_SSE', '1.16', /'required' was unexpected/],
      ['resources=VCPU:1&required=INVALID_TRAIT', '1.17', /No such trait\(s\)/],
      ['resources=VCPU:1&required=', '1.17', /HW_CPU_X86_VMX,CUSTOM_MAGIC\./],
      ['resources=VCPU:1&required=!CUSTOM_MAGIC', '1.17', /HW_CPU_X86_VMX,CUSTOM_MAGIC\./],
      ['resources=VCPU:1&required=', '1.22', /HW_CPU_X86_VMX,!CUSTOM_MAGIC\./],
      ['resources=VCPU:1&in_tree=x', '1.30', /Invalid query string parameters/],
      [
        'resources=VCPU:1&in_tree=life-is-beautiful',
        '1.31',
        /Expected 'in_tree' parameter to be a format of uuid/,
      ],
      [
        `resources=VCPU:1&in_tree1=${SS.CN1}`,
        '1.31',
        /All request groups must specify resources\./,
      ],
      ['resources1=VCPU:1&resources2=VCPU:1', '1.25', /"group_policy" parameter is required/],
      [
        'resources=VCPU:1&group_policy=bogus',
        '1.25',
        /'bogus' is not one of \['none', 'isolate'\]/,
      ],
      [
        'resources=VCPU:1&required=HW_CPU_X86_SSE,!HW_CPU_X86_SSE',
        '1.22',
        /Conflicting required and forbidden traits found in the following traits keys: required: \(HW_CPU_X86_SSE\)/,
      ],
      ['resources=VCPU:1&root_required=A&root_required=B', '1.35', /may be specified only once/],
      [
        'resources=VCPU:1&root_required=HW_CPU_X86_SSE,!HW_CPU_X86_SSE',
        '1.35',
        /Conflicting required and forbidden traits found in root_required/,
      ],
      [
        'resources=VCPU:1&same_subtree=,1',
        '1.36',
        /Empty string \(unsuffixed group\) can not be specified/,
      ],
      [
        'resources=VCPU:1&required1=HW_CPU_X86_SSE',
        '1.36',
        /Resourceless suffixed group request should be specified in `same_subtree` query param: bad group\(s\) - \['1'\]\./,
      ],
      [
        'resources=VCPU:1&same_subtree=1',
        '1.36',
        /Real suffixes should be specified in `same_subtree`: \['1'\] not found in \[''\]\./,
      ],
      [
        'required1=HW_CPU_X86_SSE&same_subtree=1',
        '1.36',
        /There must be at least one resources or resources\[\$S\] parameter\./,
      ],
      ['resources_X=VCPU:1', '1.32', /Invalid query string parameters/],
    ];
    for (const [q, version, re] of cases) {
      const r = await t.request('GET', `/allocation_candidates?${q}`, { version });
      assert.equal(r.status, 400, `${q} @${version}: ${r.body}`);
      assert.match(r.json.errors[0].detail, re, `${q} @${version}`);
    }
    const missing = await t.request(
      'GET',
      '/allocation_candidates?resources1=VCPU:1&required1=HW_CPU_X86_SSE&required2=HW_CPU_X86_SSE',
      { version: '1.36' },
    );
    assert.equal(missing.json.errors[0].code, 'placement.query.bad_value');
  });

  it('combines compute nodes with sharing providers (1.10 list form, 1.12 dict form)', async () => {
    const q = 'resources=VCPU:1,MEMORY_MB:1024,DISK_GB:100';
    const old = await get(q, '1.10');
    assert.equal(old.allocation_requests.length, 5);
    assert.equal(Object.keys(old.provider_summaries).length, 4);
    assert.ok(Array.isArray(old.allocation_requests[0].allocations));
    assert.deepEqual(old.provider_summaries[SS.CN1].resources.VCPU, { capacity: 384, used: 0 });
    assert.deepEqual(old.provider_summaries[SS.CN1].resources.MEMORY_MB, {
      capacity: 196608,
      used: 0,
    });
    assert.deepEqual(old.provider_summaries[SS.SS].resources.DISK_GB, { capacity: 1900, used: 0 });
    const dict = await get(q, '1.12');
    assert.deepEqual(shapes(dict), [
      'CN1(MEMORY_MB:1024,VCPU:1)+SS(DISK_GB:100)',
      'CN1(MEMORY_MB:1024,VCPU:1)+SS2(DISK_GB:100)',
      'CN2(DISK_GB:100,MEMORY_MB:1024,VCPU:1)',
      'CN2(MEMORY_MB:1024,VCPU:1)+SS(DISK_GB:100)',
      'CN2(MEMORY_MB:1024,VCPU:1)+SS2(DISK_GB:100)',
    ]);
    assert.equal((await get(`${q}&limit=1`, '1.16')).allocation_requests.length, 1);
    assert.equal((await get(`${q}&limit=10&limit=1`, '1.16')).allocation_requests.length, 5);
    assert.equal(Object.keys((await get(q, '1.16')).provider_summaries[SS.CN1]).length, 1);
  });

  it('filters by required and forbidden traits, showing traits from 1.17', async () => {
    const q = 'resources=VCPU:1,MEMORY_MB:1024,DISK_GB:100';
    const sse = await get(`${q}&required=HW_CPU_X86_SSE`, '1.17');
    assert.equal(sse.allocation_requests.length, 2);
    assert.equal(Object.keys(sse.provider_summaries).length, 3);
    assert.deepEqual(sse.provider_summaries[SS.CN1].traits, ['HW_CPU_X86_SSE', 'HW_CPU_X86_SSE2']);
    assert.equal(
      (await get(`${q}&required=HW_CPU_X86_SSE,HW_CPU_X86_SSE2`, '1.17')).allocation_requests
        .length,
      2,
    );
    const none = await get(`${q}&required=HW_CPU_X86_SSE3`, '1.17');
    assert.deepEqual(none, { allocation_requests: [], provider_summaries: {} });
    const forbidden = await get(`${q}&required=!HW_CPU_X86_SSE`, '1.22');
    assert.deepEqual(shapes(forbidden), [
      'CN2(DISK_GB:100,MEMORY_MB:1024,VCPU:1)',
      'CN2(MEMORY_MB:1024,VCPU:1)+SS(DISK_GB:100)',
      'CN2(MEMORY_MB:1024,VCPU:1)+SS2(DISK_GB:100)',
    ]);
    const anyOf = await get(`${q}&required=in:HW_CPU_X86_SSE,HW_CPU_X86_AVX`, '1.39');
    assert.equal(anyOf.allocation_requests.length, 2);
  });

  it('summarises requested classes before 1.27, all from 1.27, trees from 1.29', async () => {
    const v26 = await get('resources=VCPU:1', '1.26');
    assert.deepEqual(Object.keys(v26.provider_summaries[SS.CN2].resources), ['VCPU']);
    const v27 = await get('resources=VCPU:1', '1.27');
    assert.deepEqual(Object.keys(v27.provider_summaries[SS.CN2].resources).sort(), [
      'DISK_GB',
      'MEMORY_MB',
      'VCPU',
    ]);
    assert.equal(Object.keys((await get('resources=VCPU:1', '1.28')).provider_summaries).length, 2);
    const v29 = await get('resources=VCPU:1', '1.29');
    assert.equal(Object.keys(v29.provider_summaries).length, 10);
    assert.equal(v29.provider_summaries[SS.PF1_1].parent_provider_uuid, SS.NUMA1_1);
    assert.equal(v29.provider_summaries[SS.PF1_1].root_provider_uuid, SS.CN1);
    assert.equal(v29.provider_summaries[SS.CN1].parent_provider_uuid, null);
  });

  it('uses nested providers together from 1.29 only', async () => {
    const vf28 = await get('resources=SRIOV_NET_VF:4', '1.28');
    assert.equal(vf28.allocation_requests.length, 4);
    assert.equal(Object.keys(vf28.provider_summaries).length, 4);
    assert.equal(
      Object.keys((await get('resources=SRIOV_NET_VF:4', '1.29')).provider_summaries).length,
      10,
    );
    assert.equal(
      (await get('resources=VCPU:1,SRIOV_NET_VF:4', '1.28')).allocation_requests.length,
      0,
    );
    const mixed = await get('resources=VCPU:1,SRIOV_NET_VF:4', '1.29');
    assert.deepEqual(shapes(mixed), [
      'CN1(VCPU:1)+PF1_1(SRIOV_NET_VF:4)',
      'CN1(VCPU:1)+PF1_2(SRIOV_NET_VF:4)',
      'CN2(VCPU:1)+PF2_1(SRIOV_NET_VF:4)',
      'CN2(VCPU:1)+PF2_2(SRIOV_NET_VF:4)',
    ]);
    const limited = await get('resources=VCPU:1,SRIOV_NET_VF:4&limit=1', '1.29');
    assert.equal(limited.allocation_requests.length, 1);
    assert.equal(Object.keys(limited.allocation_requests[0].allocations).length, 2);
    assert.equal(Object.keys(limited.provider_summaries).length, 5);
    const shared28 = await get('resources=DISK_GB:10,SRIOV_NET_VF:4', '1.28');
    assert.equal(shared28.allocation_requests.length, 8);
    assert.equal(Object.keys(shared28.provider_summaries).length, 6);
  });

  it('restricts groups to a tree with in_tree (1.31)', async () => {
    const count = async (q: string) => (await get(q, '1.31')).allocation_requests.length;
    assert.equal(await count(`resources=VCPU:1,SRIOV_NET_VF:4&in_tree=${SS.CN1}`), 2);
    assert.equal(await count(`resources=VCPU:1,SRIOV_NET_VF:4&in_tree=${SS.PF1_2}`), 2);
    assert.equal(await count(`resources=VCPU:1,DISK_GB:10&in_tree=${SS.CN1}`), 0);
    assert.equal(await count(`resources=VCPU:1,DISK_GB:10&in_tree=${SS.CN2}`), 1);
    assert.equal(await count(`resources=VCPU:1,DISK_GB:10&in_tree=${SS.SS}`), 0);
    assert.equal(await count(`resources1=VCPU:1&in_tree1=${SS.PF1_1}`), 1);
    assert.equal(await count(`resources1=SRIOV_NET_VF:4&in_tree1=${SS.CN1}`), 2);
    assert.equal(await count(`resources=VCPU:1&resources1=DISK_GB:10&in_tree1=${SS.CN1}`), 0);
    assert.equal(await count(`resources=VCPU:1&resources1=DISK_GB:10&in_tree1=${SS.CN2}`), 1);
    const viaShared = await get(`resources=VCPU:1&resources1=DISK_GB:10&in_tree1=${SS.SS}`, '1.31');
    assert.deepEqual(shapes(viaShared), [
      'CN1(VCPU:1)+SS(DISK_GB:10)',
      'CN2(VCPU:1)+SS(DISK_GB:10)',
    ]);
    assert.equal(await count(`resources=VCPU:1&in_tree=${SS.CN1}&resources1=DISK_GB:10`), 2);
    assert.equal(await count(`resources=VCPU:1&in_tree=${SS.CN2}&resources1=DISK_GB:10`), 3);
    assert.equal(
      await count(
        `resources1=VCPU:1&in_tree1=${SS.CN1}&resources2=DISK_GB:10&in_tree2=${SS.SS}&group_policy=none`,
      ),
      1,
    );
    assert.equal(await count(`resources=VCPU:1&in_tree=00000000-1111-4222-8333-444444444444`), 0);
  });

  it('maps request groups to providers from 1.34', async () => {
    const r = await get('resources=VCPU:1&resources_NET=SRIOV_NET_VF:4&group_policy=none', '1.34');
    for (const req of r.allocation_requests) {
      assert.equal(req.mappings[''].length, 1);
      assert.equal(req.mappings._NET.length, 1);
      assert.ok(req.allocations[req.mappings._NET[0]].resources.SRIOV_NET_VF === 4);
    }
    assert.equal(
      (await get('resources=VCPU:1', '1.33')).allocation_requests[0].mappings,
      undefined,
    );
  });

  it('isolates granular groups, keeps same_subtree groups together, honours root_required', async () => {
    const none = await get(
      'resources1=SRIOV_NET_VF:4&resources2=SRIOV_NET_VF:4&group_policy=none',
      '1.29',
    );
    const isolate = await get(
      'resources1=SRIOV_NET_VF:4&resources2=SRIOV_NET_VF:4&group_policy=isolate',
      '1.29',
    );
    // Two groups on the same pair of PFs differ by their mappings, so both orders count.
    assert.equal(none.allocation_requests.length, 8);
    assert.equal(shapes(none).filter((s) => !s.includes('+')).length, 4);
    assert.equal(isolate.allocation_requests.length, 4);
    assert.ok(shapes(isolate).every((s) => s.includes('+')));
    const numa = await get(
      'resources1=SRIOV_NET_VF:1&resources2=SRIOV_NET_VF:1&group_policy=isolate&same_subtree=1,2',
      '1.36',
    );
    assert.equal(numa.allocation_requests.length, 0);
    const sameCn = await get(
      'resources=VCPU:1&resources1=SRIOV_NET_VF:1&group_policy=none',
      '1.36',
    );
    assert.equal(sameCn.allocation_requests.length, 4);
    const rootSse = await get('resources=SRIOV_NET_VF:1&root_required=HW_CPU_X86_SSE', '1.35');
    assert.deepEqual(shapes(rootSse), ['PF1_1(SRIOV_NET_VF:1)', 'PF1_2(SRIOV_NET_VF:1)']);
    const rootNotSse = await get('resources=SRIOV_NET_VF:1&root_required=!HW_CPU_X86_SSE', '1.35');
    assert.deepEqual(shapes(rootNotSse), ['PF2_1(SRIOV_NET_VF:1)', 'PF2_2(SRIOV_NET_VF:1)']);
  });

  it('filters with member_of (any-of, all-of, forbidden)', async () => {
    const agg = SS.AGG;
    const other = '3e0b7e5a-1c7a-4d6e-9a5e-111111111111';
    const n = async (q: string, v = '1.32') => (await get(q, v)).allocation_requests.length;
    assert.equal(await n(`resources=VCPU:1&member_of=${agg}`, '1.21'), 2);
    assert.equal(await n(`resources=VCPU:1&member_of=${other}`, '1.21'), 0);
    assert.equal(await n(`resources=VCPU:1&member_of=in:${agg},${other}`, '1.21'), 2);
    assert.equal(await n(`resources=VCPU:1&member_of=${agg}&member_of=${other}`, '1.24'), 0);
    assert.equal(await n(`resources=VCPU:1&member_of=!${agg}`), 0);
    // A sharing provider anchored to several trees is one candidate (duplicates are merged).
    assert.equal(await n(`resources=DISK_GB:10&member_of=!${other}`), 3);
  });

  it('sees allocations and inventory changes made through the API at once', async () => {
    const before = await get('resources=DISK_GB:1800', '1.29');
    assert.deepEqual(shapes(before), [
      'CN2(DISK_GB:1800)',
      'SS(DISK_GB:1800)',
      'SS2(DISK_GB:1800)',
    ]);
    const put = await t.request('PUT', '/allocations/b6d4e6f0-1f0a-4ad0-8e11-0a0a0a0a0a01', {
      version: '1.28',
      body: {
        allocations: { [SS.SS]: { resources: { DISK_GB: 1000 } } },
        project_id: 'p',
        user_id: 'u',
        consumer_generation: null,
      },
    });
    assert.equal(put.status, 204);
    const after = await get('resources=DISK_GB:1800', '1.29');
    assert.deepEqual(shapes(after), ['CN2(DISK_GB:1800)', 'SS2(DISK_GB:1800)']);
    const summary = (await get('resources=DISK_GB:1', '1.29')).provider_summaries[SS.SS];
    assert.deepEqual(summary.resources.DISK_GB, { capacity: 1900, used: 1000 });
  });
});
