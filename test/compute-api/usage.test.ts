import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { addServer } from './harness/hosts.js';

describe('simple tenant usage API', () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi();
    // Ran 30 minutes inside the window, then was deleted.
    await addServer(api, {
      uuid: '55555555-5555-4555-8555-555555555555',
      name: 'gone',
      projectId: 'p1',
      vcpus: 2,
      launchedAt: '2026-01-02T00:00:00.000000Z',
      terminatedAt: '2026-01-02T02:34:05.000000Z',
      deleted: true,
    });
    await addServer(api, {
      uuid: '66666666-6666-4666-8666-666666666666',
      name: 'never',
      projectId: 'p1',
    });
  });
  after(() => api.close());
  const window = 'start=2026-01-02T02:04:05&end=2026-01-02T04:00:00.5';

  it('counts hours within the window, deleted servers included, up to now', async () => {
    const r = await api.request('GET', `/v2.1/os-simple-tenant-usage/p1?${window}`, {
      token: 'u:p1',
    });
    assert.equal(r.status, 200, r.text);
    const u = r.body.tenant_usage;
    assert.equal(u.total_hours, 0.5);
    assert.equal(u.total_vcpus_usage, 1);
    assert.equal(u.stop, '2026-01-02T03:04:05.000000', 'a window ending later ends now');
    assert.deepEqual(
      u.server_usages.map((s: any) => [s.name, s.state, s.uptime]),
      [['gone', 'terminated', 9245]],
    );
  });

  it('answers an empty object for a project without usage', async () => {
    const r = await api.request('GET', `/v2.1/os-simple-tenant-usage/p9?${window}`);
    assert.deepEqual(r.body, { tenant_usage: {} });
  });

  it('refuses bad windows and markers, and lists all projects to admins only', async () => {
    const bad = await api.request('GET', '/v2.1/os-simple-tenant-usage?start=yesterday');
    assert.equal(bad.status, 400);
    const backwards = await api.request(
      'GET',
      '/v2.1/os-simple-tenant-usage?start=2026-01-02T03:00:00&end=2026-01-02T02:00:00',
    );
    assert.match(
      backwards.body.badRequest.message,
      /The start time cannot occur after the end time/,
    );
    const marker = await api.request('GET', `/v2.1/os-simple-tenant-usage?${window}&marker=nope`, {
      version: '2.40',
    });
    assert.equal(marker.status, 400);
    assert.equal(
      (await api.request('GET', '/v2.1/os-simple-tenant-usage', { token: 'u:p1' })).status,
      403,
    );
    assert.equal(
      (await api.request('GET', '/v2.1/os-simple-tenant-usage/p2', { token: 'u:p1' })).status,
      403,
    );
  });
});
