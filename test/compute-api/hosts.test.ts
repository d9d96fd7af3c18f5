import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAKE_UPTIME, FakeDriver } from '../../src/compute/virt/fake/fake-driver.js';
import { MemoryBus } from '../../src/platform/bus/memory/memory-bus.js';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { addComputeHost, addServer, addService } from './harness/hosts.js';

describe('services, hypervisors and availability zones API', () => {
  let api: ComputeApiHandle;
  let h1: Awaited<ReturnType<typeof addComputeHost>>;
  before(async () => {
    api = await startComputeApi();
    h1 = await addComputeHost(api, 'h1');
    await addComputeHost(api, 'h2');
    await addService(api, 'ctl', 'stratus-conductor', 'conductor');
    // Other clouds' services are not compute services and stay out of os-services.
    await addService(api, 'ctl', 'stratus-identity', 'identity');
    await addServer(api, {
      uuid: '11111111-1111-4111-8111-111111111111',
      name: 'vm1',
      projectId: 'p',
      host: 'h1',
    });
  });
  after(() => api.close());

  it('is for admins only', async () => {
    for (const url of [
      '/v2.1/os-services',
      '/v2.1/os-hypervisors',
      '/v2.1/os-availability-zone/detail',
    ]) {
      assert.equal((await api.request('GET', url, { token: 'u:p' })).status, 403, url);
    }
    assert.equal(
      (await api.request('GET', '/v2.1/os-availability-zone', { token: 'u:p' })).status,
      200,
    );
  });

  it('filters services by host and binary', async () => {
    const all = await api.request('GET', '/v2.1/os-services');
    assert.deepEqual(all.body.services.map((s: any) => s.binary).sort(), [
      'stratus-compute',
      'stratus-compute',
      'stratus-conductor',
    ]);
    const h2 = await api.request('GET', '/v2.1/os-services?host=h2&binary=stratus-compute');
    assert.deepEqual(
      h2.body.services.map((s: any) => s.host),
      ['h2'],
    );
  });

  it('only updates compute services, and names what is wrong', async () => {
    const ctl = await api.request('PUT', '/v2.1/os-services/disable', {
      body: { host: 'ctl', binary: 'stratus-conductor' },
    });
    assert.equal(ctl.status, 400);
    assert.match(ctl.body.badRequest.message, /Only stratus-compute services can be updated/);
    const unknown = await api.request('PUT', '/v2.1/os-services/explode', {
      body: { host: 'h1', binary: 'stratus-compute' },
    });
    assert.equal(unknown.status, 404);
    const reasonless = await api.request('PUT', '/v2.1/os-services/disable-log-reason', {
      body: { host: 'h1', binary: 'stratus-compute' },
    });
    assert.equal(reasonless.body.badRequest.message, 'Missing disabled reason field');
    const forceBefore211 = await api.request('PUT', '/v2.1/os-services/force-down', {
      version: '2.10',
      body: { host: 'h1', binary: 'stratus-compute' },
    });
    assert.equal(forceBefore211.status, 404);
    const badUuid = await api.request('PUT', '/v2.1/os-services/disable', {
      version: '2.53',
      body: { status: 'disabled' },
    });
    assert.equal(badUuid.body.badRequest.message, 'Invalid uuid disable');
    const nothing = await api.request('PUT', `/v2.1/os-services/${h1.service.uuid}`, {
      version: '2.53',
      body: {},
    });
    assert.match(nothing.body.badRequest.message, /No updates were requested/);
    const contradiction = await api.request('PUT', `/v2.1/os-services/${h1.service.uuid}`, {
      version: '2.53',
      body: { status: 'enabled', disabled_reason: 'x' },
    });
    assert.equal(contradiction.status, 400);
  });

  it('keeps disabled state in the services table and shows it in zones and hypervisors', async () => {
    const r = await api.request('PUT', `/v2.1/os-services/${h1.service.uuid}`, {
      version: '2.53',
      body: { status: 'disabled', disabled_reason: 'kernel upgrade' },
    });
    assert.equal(r.body.service.status, 'disabled');
    const hv = await api.request('GET', `/v2.1/os-hypervisors/${h1.nodeUuid}`, { version: '2.53' });
    assert.equal(hv.body.hypervisor.status, 'disabled');
    assert.equal(hv.body.hypervisor.service.disabled_reason, 'kernel upgrade');
    const stats = await api.request('GET', '/v2.1/os-hypervisors/statistics');
    assert.equal(stats.body.hypervisor_statistics.count, 1, 'disabled hosts are not counted');
    await api.request('PUT', `/v2.1/os-services/${h1.service.uuid}`, {
      version: '2.53',
      body: { status: 'enabled' },
    });
  });

  it('validates hypervisor ids per microversion', async () => {
    assert.equal((await api.request('GET', '/v2.1/os-hypervisors/abc')).status, 404);
    assert.equal((await api.request('GET', `/v2.1/os-hypervisors/${h1.nodeId}`)).status, 200);
    const v253 = await api.request('GET', `/v2.1/os-hypervisors/${h1.nodeId}`, { version: '2.53' });
    assert.equal(v253.status, 400);
    assert.equal(v253.body.badRequest.message, `Invalid uuid ${h1.nodeId}`);
  });

  it('shows hosted servers on request, as [] from 2.75 when there are none', async () => {
    const with1 = await api.request('GET', `/v2.1/os-hypervisors/${h1.nodeUuid}?with_servers=1`, {
      version: '2.53',
    });
    assert.deepEqual(with1.body.hypervisor.servers, [
      { name: 'vm1', uuid: '11111111-1111-4111-8111-111111111111' },
    ]);
    const list274 = await api.request('GET', '/v2.1/os-hypervisors?with_servers=true', {
      version: '2.74',
    });
    assert.equal(list274.body.hypervisors.filter((h: any) => 'servers' in h).length, 1);
    const list275 = await api.request('GET', '/v2.1/os-hypervisors?with_servers=true', {
      version: '2.75',
    });
    assert.equal(list275.body.hypervisors.filter((h: any) => 'servers' in h).length, 2);
    const bad = await api.request('GET', '/v2.1/os-hypervisors?with_servers=maybe', {
      version: '2.53',
    });
    assert.equal(bad.status, 400);
    const paging = await api.request(
      'GET',
      '/v2.1/os-hypervisors?hypervisor_hostname_pattern=h1&limit=1',
      { version: '2.53' },
    );
    assert.equal(paging.status, 400);
    const none = await api.request('GET', '/v2.1/os-hypervisors?hypervisor_hostname_pattern=zzz', {
      version: '2.53',
    });
    assert.equal(none.status, 404);
  });

  it('answers uptime with 501 when the host cannot tell, and removes the route at 2.88', async () => {
    const r = await api.request('GET', `/v2.1/os-hypervisors/${h1.nodeId}/uptime`);
    assert.equal(r.status, 501);
    assert.deepEqual(Object.keys(r.body), ['notImplemented']);
    const gone = await api.request('GET', `/v2.1/os-hypervisors/${h1.nodeUuid}/uptime`, {
      version: '2.88',
    });
    assert.equal(gone.status, 404);
    const detail = await api.request('GET', `/v2.1/os-hypervisors/${h1.nodeUuid}`, {
      version: '2.88',
    });
    assert.equal(detail.body.hypervisor.uptime, null);
    assert.equal('vcpus' in detail.body.hypervisor, false);
  });

  it('puts hosts in the zones their aggregates name', async () => {
    const agg = await api.request('POST', '/v2.1/os-aggregates', {
      body: { aggregate: { name: 'z', availability_zone: 'az1' } },
    });
    await api.request('POST', `/v2.1/os-aggregates/${agg.body.aggregate.id}/action`, {
      body: { add_host: { host: 'h2' } },
    });
    const zones = await api.request('GET', '/v2.1/os-availability-zone', { token: 'u:p' });
    assert.deepEqual(
      zones.body.availabilityZoneInfo.map((z: any) => z.zoneName),
      ['az1', 'nova'],
    );
    const svc = await api.request('GET', '/v2.1/os-services?host=h2');
    assert.equal(svc.body.services[0].zone, 'az1');
  });

  it('refuses to delete a compute service with servers, deletes one without', async () => {
    const busy = await api.request('DELETE', `/v2.1/os-services/${h1.service.uuid}`, {
      version: '2.53',
    });
    assert.equal(busy.status, 409);
    const h2 = (await api.request('GET', '/v2.1/os-services?host=h2', { version: '2.53' })).body
      .services[0];
    const del = await api.request('DELETE', `/v2.1/os-services/${h2.id}`, { version: '2.53' });
    assert.equal(del.status, 204);
    const hv = await api.request('GET', '/v2.1/os-hypervisors', { version: '2.53' });
    assert.deepEqual(
      hv.body.hypervisors.map((h: any) => h.hypervisor_hostname),
      ['h1.example.com'],
    );
    const aggs = await api.request('GET', '/v2.1/os-aggregates');
    assert.deepEqual(aggs.body.aggregates[0].hosts, [], 'the host left its aggregates');
    const notInt = await api.request('DELETE', '/v2.1/os-services/abc');
    assert.equal(notInt.status, 400);
    const missing = await api.request('DELETE', '/v2.1/os-services/999');
    assert.equal(missing.status, 404);
  });
});

describe('hypervisor uptime over the bus to the compute agents', () => {
  let api: ComputeApiHandle;
  let bus: MemoryBus;
  let up: Awaited<ReturnType<typeof addComputeHost>>;
  let silent: Awaited<ReturnType<typeof addComputeHost>>;
  let old: Awaited<ReturnType<typeof addComputeHost>>;
  before(async () => {
    bus = new MemoryBus({ rpcResponseTimeoutMs: 500 });
    api = await startComputeApi({ bus, config: { DEFAULT: { rpc_response_timeout: '1' } } });
    up = await addComputeHost(api, 'up');
    silent = await addComputeHost(api, 'silent');
    old = await addComputeHost(api, 'old');
    const driver = new FakeDriver({
      nodes: 1,
      vcpus: 1,
      memory_mb: 1,
      local_gb: 1,
      hypervisor_type: 'fake',
      delay_ms: {},
      failure_rate: {},
      fail_spawn_on_nodes: [],
    });
    // The agent's handler (agent-module.ts) answers from its driver.
    await bus.serve(
      { topic: 'compute', server: 'up' },
      { get_host_uptime: () => driver.hostUptime() },
    );
    // An agent without the method: the bus answers NotImplementedError.
    await bus.serve({ topic: 'compute', server: 'old' }, {});
  });
  after(async () => {
    await api.close();
    await bus.close();
  });

  it("answers the host's uptime line before 2.88 and in details at 2.88", async () => {
    const r = await api.request('GET', `/v2.1/os-hypervisors/${up.nodeId}/uptime`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.hypervisor.uptime, FAKE_UPTIME);
    assert.equal(r.body.hypervisor.state, 'up');
    const detail = await api.request('GET', `/v2.1/os-hypervisors/${up.nodeUuid}`, {
      version: '2.88',
    });
    assert.equal(detail.body.hypervisor.uptime, FAKE_UPTIME);
  });

  it('is a 400 for a host whose agent does not answer or is down, 501 when unsupported', async () => {
    const started = Date.now();
    const r = await api.request('GET', `/v2.1/os-hypervisors/${silent.nodeId}/uptime`);
    assert.equal(r.status, 400, r.text);
    assert.equal(
      r.body.badRequest.message,
      'Compute service of silent is unavailable at this time.',
    );
    assert.ok(Date.now() - started < 5000);
    const unsupported = await api.request('GET', `/v2.1/os-hypervisors/${old.nodeId}/uptime`);
    assert.equal(unsupported.status, 501, unsupported.text);
    assert.equal(
      unsupported.body.notImplemented.message,
      'The requested functionality is not supported.',
    );
    const list = await api.request('GET', '/v2.1/os-hypervisors/detail', { version: '2.88' });
    assert.deepEqual(
      Object.fromEntries(list.body.hypervisors.map((h: any) => [h.service.host, h.uptime])),
      { up: FAKE_UPTIME, silent: null, old: null },
    );
    // Forced down: refused without asking the host.
    const down = await api.request('PUT', `/v2.1/os-services/${up.service.uuid}`, {
      version: '2.53',
      body: { forced_down: true },
    });
    assert.equal(down.status, 200, down.text);
    const refused = await api.request('GET', `/v2.1/os-hypervisors/${up.nodeId}/uptime`);
    assert.equal(refused.status, 400);
    assert.match(refused.body.badRequest.message, /Compute service of up is unavailable/);
  });
});
