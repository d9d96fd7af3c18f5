import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { dialectSuite } from '../../../test/harness/dialects.js';
import { GR, createGranularFixture } from '../testing/granular-fixture.js';
import { startPlacementTestApp, type PlacementTestApp } from '../testing/placement-test-app.js';

// Upstream's granular request cases (1.25+) on its GranularFixture.
dialectSuite('sqlite', 'allocation candidates: granular request groups', (dialect) => {
  let t: PlacementTestApp;
  before(async () => {
    t = await startPlacementTestApp(dialect);
    await createGranularFixture(t);
  });
  after(() => t.close());
  const get = async (q: Record<string, string | string[]>, version = '1.25') => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) for (const x of [v].flat()) params.append(k, x);
    const r = await t.request('GET', `/allocation_candidates?${params}`, { version });
    assert.equal(r.status, 200, r.body);
    return r.json;
  };

  const cases: [string, Record<string, string | string[]>, number, number, string?][] = [
    [
      'different groups hit with group_policy=none',
      { resources1: 'VCPU:1', resources2: 'MEMORY_MB:1024', group_policy: 'none' },
      3,
      3,
    ],
    [
      'different groups miss with group_policy=isolate',
      { resources1: 'VCPU:1', resources2: 'MEMORY_MB:1024', group_policy: 'isolate' },
      0,
      0,
    ],
    [
      'multiple group_policy picks the first one',
      { resources1: 'VCPU:1', resources2: 'MEMORY_MB:1024', group_policy: ['isolate', 'none'] },
      0,
      0,
    ],
    [
      'resources combine',
      {
        resources: 'VCPU:3,MEMORY_MB:512',
        resources1: 'VCPU:1,MEMORY_MB:1024',
        resources2: 'VCPU:2',
        group_policy: 'none',
      },
      3,
      3,
    ],
    [
      'group policy not required with only one numbered group',
      { resources: 'VCPU:1', resources1: 'MEMORY_MB:2048' },
      3,
      3,
    ],
    [
      'disk sharing isolated',
      { resources1: 'VCPU:1,MEMORY_MB:1024', resources2: 'DISK_GB:100', group_policy: 'isolate' },
      5,
      5,
    ],
    [
      'disk sharing non-isolated',
      { resources1: 'VCPU:1,MEMORY_MB:1024', resources2: 'DISK_GB:100', group_policy: 'none' },
      7,
      5,
    ],
    ['disk alone', { resources1: 'DISK_GB:800' }, 2, 2],
    ['disk alone non-granular', { resources: 'DISK_GB:800' }, 2, 2],
    [
      'isolated ssd',
      {
        resources1: 'VCPU:1,MEMORY_MB:1024',
        resources2: 'DISK_GB:100',
        required2: 'CUSTOM_DISK_SSD',
        group_policy: 'isolate',
      },
      2,
      3,
    ],
    [
      'no isolation, forbid ssd',
      {
        resources1: 'VCPU:1',
        resources2: 'DISK_GB:100',
        required2: '!CUSTOM_DISK_SSD',
        group_policy: 'none',
      },
      4,
      4,
    ],
    [
      'member_of filters',
      {
        resources1: 'VCPU:1',
        resources2: 'DISK_GB:100',
        member_of2: GR.AGGC,
        group_policy: 'none',
      },
      1,
      1,
    ],
    [
      'required, forbidden, member_of in',
      {
        resources1: 'VCPU:1',
        required1: '!HW_CPU_X86_SSE',
        resources2: 'DISK_GB:100',
        required2: 'CUSTOM_DISK_SSD',
        member_of2: `in:${GR.AGGA},${GR.AGGC}`,
        group_policy: 'none',
      },
      2,
      3,
    ],
    [
      'required, forbidden, member_of in long suffix',
      {
        resources_compute: 'VCPU:1',
        required_compute: '!HW_CPU_X86_SSE',
        resources_disk: 'DISK_GB:100',
        required_disk: 'CUSTOM_DISK_SSD',
        member_of_disk: `in:${GR.AGGA},${GR.AGGC}`,
        group_policy: 'none',
      },
      2,
      3,
      '1.33',
    ],
    [
      'multiple member_of',
      {
        resources1: 'VCPU:1',
        resources2: 'DISK_GB:100',
        member_of2: [`in:${GR.AGGB},${GR.AGGC}`, GR.AGGA],
        group_policy: 'isolate',
      },
      3,
      4,
    ],
    [
      'multiple disks, multiple networks',
      {
        resources1: 'VCPU:1',
        resources2: 'VGPU:1',
        required2: 'HW_GPU_API_DXVA',
        resources3: 'MEMORY_MB:1024',
        resources4: 'DISK_GB:100',
        required4: 'CUSTOM_DISK_SSD',
        resources5: 'DISK_GB:50',
        required5: '!CUSTOM_DISK_SSD',
        resources6: 'SRIOV_NET_VF:1,CUSTOM_NET_MBPS:1000',
        resources7: 'SRIOV_NET_VF:2,CUSTOM_NET_MBPS:2000',
        group_policy: 'none',
      },
      3,
      5,
    ],
    [
      'combining request groups exceeds capacity',
      {
        resources: 'VCPU:2,MEMORY_MB:2048,SRIOV_NET_VF:1,CUSTOM_NET_MBPS:2000',
        resources1: 'SRIOV_NET_VF:1,CUSTOM_NET_MBPS:3000',
      },
      1,
      2,
    ],
    [
      'combining request groups exceeds max_unit',
      { resources: 'VGPU:1', resources1: 'VGPU:1', resources2: 'VGPU:1', group_policy: 'none' },
      1,
      1,
    ],
  ];
  for (const [name, q, requests, summaries, version] of cases) {
    it(`${name}: ${requests} requests, ${summaries} summaries`, async () => {
      const r = await get(q, version);
      assert.equal(r.allocation_requests.length, requests);
      assert.equal(Object.keys(r.provider_summaries).length, summaries);
    });
  }

  it('puts the whole of a combined group on the one provider', async () => {
    const r = await get({
      resources1: 'VCPU:1',
      resources2: 'DISK_GB:100',
      member_of2: GR.AGGC,
      group_policy: 'none',
    });
    assert.deepEqual(r.allocation_requests[0].allocations[GR.CN_RIGHT].resources, {
      VCPU: 1,
      DISK_GB: 100,
    });
  });

  it('rejects numbered groups before 1.25 and bad suffixes', async () => {
    const bad: [string, string, RegExp][] = [
      ['resources=MEMORY_MB:1024&resources1=VCPU:1', '1.24', /'resources1' was unexpected/],
      ['resources=VCPU:1&group_policy=isolate', '1.24', /'group_policy' was unexpected/],
      ['resources01=VCPU:1', '1.25', /'resources01' does not match any of the regexes/],
      [
        'resources1@=VCPU:1',
        '1.33',
        /'resources1@' does not match any of the regexes: .*'\^member_of\(\[a-zA-Z0-9_-\]\{1,64\}\)\?\$'/,
      ],
      [
        `resources_${'0123456701234567'.repeat(4)}=VCPU:1`,
        '1.33',
        /does not match any of the regexes/,
      ],
      [
        `member_of=${GR.AGGA}&member_of3=${GR.AGGC}`,
        '1.25',
        /Found the following orphaned member_of keys: member_of, member_of3/,
      ],
      [
        'group_policy=isolate',
        '1.25',
        /At least one request group \(`resources` or `resources\{\$S\}`\) is required\./,
      ],
    ];
    for (const [q, version, re] of bad) {
      const r = await t.request('GET', `/allocation_candidates?${q}`, { version });
      assert.equal(r.status, 400, q);
      assert.match(r.json.errors[0].detail, re, q);
    }
  });
});
