import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { addComputeHost, addServer, addService } from './harness/hosts.js';
import { sample, samplesSkip, shapeDiff } from './harness/upstream-samples.js';

describe('services, hypervisors and zones match upstream samples', { skip: samplesSkip() }, () => {
  let api: ComputeApiHandle;
  let nodeUuid: string;
  let nodeId: number;
  let serviceUuid: string;
  before(async () => {
    api = await startComputeApi();
    const h = await addComputeHost(api, 'host1', { hypervisorHostname: 'fake-mini' });
    nodeUuid = h.nodeUuid;
    nodeId = h.nodeId;
    serviceUuid = h.service.uuid;
    await addService(api, 'conductor', 'stratus-conductor', 'conductor');
    await addService(api, 'scheduler', 'stratus-scheduler', 'scheduler');
    await addServer(api, {
      uuid: 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
      name: 'test_server1',
      projectId: 'p',
      host: 'host1',
    });
    await addServer(api, {
      uuid: 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb',
      name: 'test_server2',
      projectId: 'p',
      host: 'host1',
    });
  });
  after(() => api.close());
  const diff = (body: unknown, path: string, nullable: string[] = []) =>
    shapeDiff(body, sample(path), {
      nullable,
      freeform: ['hypervisor.cpu_info', 'hypervisors[].cpu_info'],
    });

  for (const [dir, version] of [
    ['', '2.1'],
    ['v2.11/', '2.11'],
    ['v2.53/', '2.53'],
  ] as const) {
    it(`lists services at ${version}`, async () => {
      const r = await api.request('GET', '/v2.1/os-services', { version });
      assert.deepEqual(
        diff(r.body, `os-services/${dir}services-list-get-resp.json`, [
          'services[].disabled_reason',
        ]),
        [],
      );
      assert.deepEqual(
        r.body.services.map((s: any) => [s.binary, s.zone]),
        [
          ['stratus-compute', 'nova'],
          ['stratus-conductor', 'internal'],
          ['stratus-scheduler', 'internal'],
        ],
      );
    });
  }

  it('disables, enables and forces down by host and binary before 2.53', async () => {
    const body = (name: string, dir = '') => {
      const b = sample(`os-services/${dir}${name}-req.json`);
      return { ...b, binary: 'stratus-compute' };
    };
    for (const [name, action] of [
      ['service-disable-log-put', 'disable-log-reason'],
      ['service-disable-put', 'disable'],
      ['service-enable-put', 'enable'],
    ]) {
      const r = await api.request('PUT', `/v2.1/os-services/${action}`, { body: body(name!) });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(diff(r.body, `os-services/${name}-resp.json`), []);
    }
    const down = await api.request('PUT', '/v2.1/os-services/force-down', {
      version: '2.11',
      body: body('service-force-down-put', 'v2.11/'),
    });
    assert.deepEqual(diff(down.body, 'os-services/v2.11/service-force-down-put-resp.json'), []);
  });

  it('updates by uuid from 2.53', async () => {
    for (const name of [
      'service-disable-log-put',
      'service-enable-put',
      'service-force-down-put',
    ]) {
      const r = await api.request('PUT', `/v2.1/os-services/${serviceUuid}`, {
        version: '2.53',
        body: sample(`os-services/v2.53/${name}-req.json`),
      });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(
        diff(r.body, `os-services/v2.53/${name}-resp.json`, ['service.disabled_reason']),
        [],
      );
    }
    await api.request('PUT', `/v2.1/os-services/${serviceUuid}`, {
      version: '2.53',
      body: { forced_down: false },
    });
  });

  const HV: [string, string][] = [
    ['', '2.1'],
    ['v2.28/', '2.28'],
    ['v2.33/', '2.33'],
    ['v2.53/', '2.53'],
    ['v2.88/', '2.88'],
  ];
  for (const [dir, version] of HV) {
    it(`lists and shows hypervisors at ${version}`, async () => {
      const paged =
        version === '2.33' || version === '2.53' || version === '2.88' ? '?limit=1' : '';
      const list = await api.request('GET', `/v2.1/os-hypervisors${paged}`, { version });
      const detail = await api.request('GET', `/v2.1/os-hypervisors/detail${paged}`, { version });
      assert.deepEqual(diff(list.body, `os-hypervisors/${dir}hypervisors-list-resp.json`), []);
      assert.deepEqual(
        diff(detail.body, `os-hypervisors/${dir}hypervisors-detail-resp.json`, [
          'hypervisors[].service.disabled_reason',
          'hypervisors[].uptime',
        ]),
        [],
      );
      if (dir === 'v2.33/') return;
      const id = version === '2.53' || version === '2.88' ? nodeUuid : String(nodeId);
      const show = await api.request('GET', `/v2.1/os-hypervisors/${id}`, { version });
      assert.deepEqual(
        diff(show.body, `os-hypervisors/${dir}hypervisors-show-resp.json`, [
          'hypervisor.service.disabled_reason',
          'hypervisor.uptime',
        ]),
        [],
      );
    });
  }

  it('searches and lists servers by pattern before 2.53, by query from 2.53', async () => {
    for (const [dir, version] of [
      ['', '2.1'],
      ['v2.28/', '2.28'],
    ]) {
      const search = await api.request('GET', '/v2.1/os-hypervisors/fake/search', { version });
      assert.deepEqual(diff(search.body, `os-hypervisors/${dir}hypervisors-search-resp.json`), []);
      const servers = await api.request('GET', '/v2.1/os-hypervisors/fake/servers', { version });
      assert.deepEqual(
        diff(servers.body, `os-hypervisors/${dir}hypervisors-with-servers-resp.json`),
        [],
      );
    }
    for (const [dir, version] of [
      ['v2.53/', '2.53'],
      ['v2.88/', '2.88'],
    ]) {
      const r = await api.request(
        'GET',
        '/v2.1/os-hypervisors?hypervisor_hostname_pattern=fake&with_servers=true',
        { version },
      );
      assert.deepEqual(diff(r.body, `os-hypervisors/${dir}hypervisors-with-servers-resp.json`), []);
    }
    const search = await api.request(
      'GET',
      '/v2.1/os-hypervisors?hypervisor_hostname_pattern=fake',
      { version: '2.53' },
    );
    assert.deepEqual(diff(search.body, 'os-hypervisors/v2.53/hypervisors-search-resp.json'), []);
    const gone = await api.request('GET', '/v2.1/os-hypervisors/fake/search', { version: '2.53' });
    assert.equal(gone.status, 404);
  });

  it('sums statistics before 2.88 and removes them at 2.88', async () => {
    const r = await api.request('GET', '/v2.1/os-hypervisors/statistics');
    assert.deepEqual(diff(r.body, 'os-hypervisors/hypervisors-statistics-resp.json'), []);
    assert.equal(r.body.hypervisor_statistics.free_ram_mb, 7680);
    const v288 = await api.request('GET', '/v2.1/os-hypervisors/statistics', { version: '2.88' });
    assert.equal(v288.status, 404);
  });

  it('lists availability zones, in detail for admins', async () => {
    const list = await api.request('GET', '/v2.1/os-availability-zone', { token: 'u:p' });
    assert.deepEqual(list.body, sample('os-availability-zone/availability-zone-list-resp.json'));
    const detail = await api.request('GET', '/v2.1/os-availability-zone/detail');
    const expected = sample('os-availability-zone/availability-zone-detail-resp.json');
    assert.deepEqual(
      shapeDiff(detail.body, expected, {
        freeform: ['availabilityZoneInfo[].hosts'],
      }),
      [],
    );
    const zones = Object.fromEntries(
      detail.body.availabilityZoneInfo.map((z: any) => [z.zoneName, Object.keys(z.hosts)]),
    );
    assert.deepEqual(zones, { internal: ['conductor', 'scheduler'], nova: ['host1'] });
    assert.equal(
      detail.body.availabilityZoneInfo[1].hosts.host1['stratus-compute'].available,
      true,
    );
  });
});
