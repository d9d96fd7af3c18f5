import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';

describe('quotas and limits API', () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi();
  });
  after(() => api.close());

  it('lets project readers see their own quotas only', async () => {
    const own = await api.request('GET', '/v2.1/os-quota-sets/p1', { token: 'u:p1' });
    assert.equal(own.status, 200);
    const other = await api.request('GET', '/v2.1/os-quota-sets/p2', { token: 'u:p1' });
    assert.equal(other.status, 403);
    const defaults = await api.request('GET', '/v2.1/os-quota-sets/p2/defaults', { token: 'u:p1' });
    assert.equal(defaults.status, 200, 'defaults are for anyone');
    const update = await api.request('PUT', '/v2.1/os-quota-sets/p1', {
      token: 'u:p1',
      body: { quota_set: { instances: 50 } },
    });
    assert.equal(update.status, 403);
  });

  it('sets project limits, then user limits within what the project has left', async () => {
    const set = await api.request('PUT', '/v2.1/os-quota-sets/p3', {
      version: '2.57',
      body: { quota_set: { instances: '5', cores: 10 } },
    });
    assert.equal(set.body.quota_set.instances, 5);
    assert.equal(set.body.quota_set.cores, 10);
    assert.equal(set.body.quota_set.id, undefined);
    const user = await api.request('PUT', '/v2.1/os-quota-sets/p3?user_id=u1', {
      body: { quota_set: { instances: 3 } },
    });
    assert.equal(user.status, 200);
    const tooMuch = await api.request('PUT', '/v2.1/os-quota-sets/p3?user_id=u2', {
      body: { quota_set: { instances: 3 } },
    });
    assert.equal(tooMuch.status, 400);
    assert.equal(
      tooMuch.body.badRequest.message,
      'Quota limit 3 for instances must be less than or equal to 2.',
    );
    const forced = await api.request('PUT', '/v2.1/os-quota-sets/p3?user_id=u2', {
      body: { quota_set: { instances: 3, force: true } },
    });
    assert.equal(forced.status, 200);
    const shown = await api.request('GET', '/v2.1/os-quota-sets/p3?user_id=u1');
    assert.equal(shown.body.quota_set.instances, 3);
    assert.equal(shown.body.quota_set.cores, 10, 'unset user limits come from the project');
  });

  it('refuses limits out of range and unknown resources', async () => {
    const low = await api.request('PUT', '/v2.1/os-quota-sets/p4', {
      body: { quota_set: { instances: -2 } },
    });
    assert.equal(low.status, 400);
    const gone = await api.request('PUT', '/v2.1/os-quota-sets/p4', {
      version: '2.36',
      body: { quota_set: { floating_ips: 5 } },
    });
    assert.equal(gone.status, 400);
    const old = await api.request('PUT', '/v2.1/os-quota-sets/p4', {
      version: '2.35',
      body: { quota_set: { floating_ips: 5 } },
    });
    assert.equal(old.status, 200);
  });

  it('reverts a project to the defaults on delete', async () => {
    await api.request('PUT', '/v2.1/os-quota-sets/p5', { body: { quota_set: { ram: 1 } } });
    assert.equal((await api.request('DELETE', '/v2.1/os-quota-sets/p5')).status, 202);
    const r = await api.request('GET', '/v2.1/os-quota-sets/p5');
    assert.equal(r.body.quota_set.ram, 51200);
  });

  it('uses the default quota class over the config', async () => {
    await api.request('PUT', '/v2.1/os-quota-class-sets/default', {
      body: { quota_class_set: { key_pairs: 7 } },
    });
    const r = await api.request('GET', '/v2.1/os-quota-sets/p6/defaults');
    assert.equal(r.body.quota_set.key_pairs, 7);
    const limits = await api.request('GET', '/v2.1/limits', { token: 'u:p6' });
    assert.equal(limits.body.limits.absolute.maxTotalKeypairs, 7);
    await api.request('PUT', '/v2.1/os-quota-class-sets/default', {
      body: { quota_class_set: { key_pairs: 100 } },
    });
  });

  it('shows another project limits to admins only', async () => {
    await api.request('PUT', '/v2.1/os-quota-sets/p7', { body: { quota_set: { cores: 3 } } });
    const admin = await api.request('GET', '/v2.1/limits?tenant_id=p7');
    assert.equal(admin.body.limits.absolute.maxTotalCores, 3);
    const member = await api.request('GET', '/v2.1/limits?tenant_id=p7', { token: 'u:p1' });
    assert.equal(member.status, 403);
    const ignored = await api.request('GET', '/v2.1/limits?reserved=1', {
      token: 'u:p1',
      version: '2.74',
    });
    assert.equal(ignored.status, 200);
    const refused = await api.request('GET', '/v2.1/limits?reserved=1', {
      token: 'u:p1',
      version: '2.75',
    });
    assert.equal(refused.status, 400);
  });
});

describe('the no-op quota driver', () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi({ config: { quota: { driver: 'nova.quota.NoopQuotaDriver' } } });
  });
  after(() => api.close());

  it('reports every limit as unlimited', async () => {
    const r = await api.request('GET', '/v2.1/os-quota-sets/p1');
    for (const [k, v] of Object.entries(r.body.quota_set)) if (k !== 'id') assert.equal(v, -1, k);
  });
});
