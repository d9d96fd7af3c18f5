import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_FILTERS, DEFAULT_FILTERS } from './filters/all-filters.js';
import { extraSpecMatches } from './filters/compute-capabilities-filter.js';
import type { HostState, SchedulingRequest } from './host-state.js';
import { NoValidHostError, selectHosts } from './host-selection.js';
import {
  cpuWeigher,
  diskWeigher,
  ramWeigher,
  softAntiAffinityWeigher,
} from './weighers/resource-weighers.js';

function host(name: string, overrides: Partial<HostState> = {}): HostState {
  return {
    host: name,
    nodename: name,
    uuid: `uuid-${name}`,
    availabilityZone: 'nova',
    aggregateMetadata: {},
    serviceEnabled: true,
    serviceUp: true,
    disabledReason: null,
    vcpusTotal: 8,
    vcpusUsed: 0,
    memoryMbTotal: 8192,
    memoryMbUsed: 0,
    diskGbTotal: 100,
    diskGbUsed: 0,
    cpuAllocationRatio: 4,
    ramAllocationRatio: 1,
    diskAllocationRatio: 1,
    hypervisorType: 'fake',
    hypervisorVersion: 1000,
    supportedInstances: [['x86_64', 'fake', 'hvm']],
    instances: new Set(),
    capabilities: { cpu_info: { arch: 'x86_64' } },
    ...overrides,
  };
}

function request(overrides: Partial<SchedulingRequest> = {}): SchedulingRequest {
  return {
    instanceUuid: 'i1',
    projectId: 'p1',
    flavor: { vcpus: 1, memoryMb: 512, rootGb: 1, ephemeralGb: 0, swapMb: 0, extraSpecs: {} },
    image: { id: 'img', properties: {} },
    availabilityZone: null,
    forceHosts: [],
    forceNodes: [],
    schedulerHints: {},
    group: null,
    ignoreHosts: [],
    ...overrides,
  };
}

const filters = DEFAULT_FILTERS.map((n) => ALL_FILTERS.get(n)!);
const weighers = [ramWeigher(1), cpuWeigher(1), diskWeigher(1), softAntiAffinityWeigher(1)];
const pick = (hosts: HostState[], req: SchedulingRequest) =>
  selectHosts(hosts, req, filters, weighers, { hostSubsetSize: 1 }).map((w) => w.host.host);

describe('host selection', () => {
  it('prefers the host with the most free resources and lists the rest as alternates', () => {
    const hosts = [
      host('a', { memoryMbUsed: 4096 }),
      host('b'),
      host('c', { vcpusUsed: 30, diskGbUsed: 50 }),
    ];
    assert.deepEqual(pick(hosts, request()), ['b', 'a', 'c']);
  });

  it('says which filter removed how many hosts when none is left', () => {
    const hosts = [
      host('a', { serviceUp: false }),
      host('b', { serviceEnabled: false }),
      host('c', { availabilityZone: 'az2' }),
    ];
    assert.throws(
      () =>
        pick(
          hosts,
          request({
            availabilityZone: 'az2',
            image: { id: 'i', properties: { hw_architecture: 'aarch64' } },
          }),
        ),
      (err: unknown) =>
        err instanceof NoValidHostError &&
        err.message ===
          'No valid host was found. AvailabilityZoneFilter removed 2 of 3; ImagePropertiesFilter removed 1 of 1.',
    );
    assert.throws(
      () => pick([host('a', { serviceUp: false })], request()),
      /ComputeFilter removed 1 of 1/,
    );
  });

  it('keeps anti-affinity members apart, up to max_server_per_host', () => {
    const group = {
      uuid: 'g',
      policy: 'anti-affinity' as const,
      hosts: ['a'],
      membersPerHost: { a: 1 },
      rules: {},
    };
    assert.deepEqual(pick([host('a'), host('b')], request({ group })), ['b']);
    assert.deepEqual(
      pick(
        [host('a'), host('b', { memoryMbUsed: 8000 })],
        request({ group: { ...group, rules: { max_server_per_host: 2 } } }),
      )[0],
      'a',
    );
  });

  it('keeps affinity members together', () => {
    const group = {
      uuid: 'g',
      policy: 'affinity' as const,
      hosts: ['b'],
      membersPerHost: { b: 1 },
      rules: {},
    };
    assert.deepEqual(pick([host('a'), host('b', { memoryMbUsed: 8000 })], request({ group })), [
      'b',
    ]);
  });

  it('prefers hosts with fewer members for soft-anti-affinity', () => {
    const group = {
      uuid: 'g',
      policy: 'soft-anti-affinity' as const,
      hosts: ['a'],
      membersPerHost: { a: 3 },
      rules: {},
    };
    const hosts = [host('a'), host('b')];
    assert.equal(
      selectHosts(hosts, request({ group }), filters, [softAntiAffinityWeigher(1)], {
        hostSubsetSize: 1,
      })[0]!.host.host,
      'b',
    );
  });

  it('matches image properties and hypervisor versions', () => {
    const hosts = [host('x86'), host('arm', { supportedInstances: [['aarch64', 'fake', 'hvm']] })];
    assert.deepEqual(
      pick(hosts, request({ image: { id: 'i', properties: { architecture: 'aarch64' } } })),
      ['arm'],
    );
    assert.deepEqual(
      pick(hosts, request({ image: { id: 'i', properties: { hw_architecture: 'amd64' } } })),
      ['x86'],
    );
    assert.throws(
      () =>
        pick(
          hosts,
          request({ image: { id: 'i', properties: { img_hv_requested_version: '>=2.0' } } }),
        ),
      NoValidHostError,
    );
  });

  it('matches flavor capabilities extra specs with the upstream operators', () => {
    assert.equal(extraSpecMatches('x86_64', 's== x86_64'), true);
    assert.equal(extraSpecMatches('16', '>= 8'), true);
    assert.equal(extraSpecMatches('4', '>= 8'), false);
    assert.equal(extraSpecMatches('b', '<or> a <or> b'), true);
    assert.equal(extraSpecMatches('avx avx2 sse', '<in> avx2'), true);
    assert.equal(extraSpecMatches(undefined, 'x'), false);
    const hosts = [host('a'), host('b', { capabilities: { cpu_info: { arch: 'aarch64' } } })];
    assert.deepEqual(
      pick(
        hosts,
        request({
          flavor: {
            ...request().flavor,
            extraSpecs: { 'capabilities:cpu_info:arch': 'aarch64', 'hw:cpu_policy': 'shared' },
          },
        }),
      ),
      ['b'],
    );
  });

  it('honours forced hosts and skips hosts of earlier failed attempts', () => {
    const hosts = [host('a'), host('b', { serviceUp: false })];
    assert.deepEqual(pick(hosts, request({ forceHosts: ['b'] })), ['b']);
    assert.throws(
      () => pick(hosts, request({ ignoreHosts: ['a'] })),
      /previous attempts removed 1 of 2; ComputeFilter removed 1 of 1/,
    );
  });

  it('narrows to a requested host or node (2.74) but still runs the filters', () => {
    const hosts = [
      host('a', { nodename: 'a-1' }),
      host('a', { nodename: 'a-2', uuid: 'uuid-a-2' }),
      host('b', { serviceUp: false }),
    ];
    const nodes = (req: SchedulingRequest) =>
      selectHosts(hosts, req, filters, weighers, { hostSubsetSize: 1 }).map((w) => w.host.nodename);
    assert.deepEqual(nodes(request({ requestedDestination: { host: 'a', node: null } })).sort(), [
      'a-1',
      'a-2',
    ]);
    assert.deepEqual(nodes(request({ requestedDestination: { host: null, node: 'a-2' } })), [
      'a-2',
    ]);
    // Unlike a forced host, a requested one that is down is not used.
    assert.throws(
      () => nodes(request({ requestedDestination: { host: 'b', node: null } })),
      /requested destination removed 2 of 3; ComputeFilter removed 1 of 1/,
    );
  });

  it('picks randomly among the best host_subset_size hosts', () => {
    const hosts = [host('a'), host('b', { memoryMbUsed: 100 }), host('c', { memoryMbUsed: 8000 })];
    const second = selectHosts(hosts, request(), filters, weighers, {
      hostSubsetSize: 2,
      random: () => 0.99,
    });
    assert.equal(second[0]!.host.host, 'b');
  });
});
