import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';
import { addComputeHost, addServer } from './harness/hosts.js';
import { sample, samplesSkip, shapeDiff } from './harness/upstream-samples.js';

// The harness clock reads 2026-01-02T03:04:05Z.
const WINDOW = 'start=2026-01-02T02:04:05&end=2026-01-02T03:04:05';

describe('usage, audit log and extensions match upstream samples', { skip: samplesSkip() }, () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi();
    await addComputeHost(api, 'c1');
    for (const [uuid, project] of [
      ['1f1deceb-17b5-4c04-84c7-e0d4499c8fe0', 'p1'],
      ['1f1deceb-17b5-4c04-84c7-e0d4499c8fe1', 'p2'],
    ] as const) {
      await addServer(api, {
        uuid,
        name: 'vm',
        projectId: project,
        host: 'c1',
        launchedAt: '2026-01-01T00:00:00.000000Z',
      });
    }
  });
  after(() => api.close());

  for (const [dir, version] of [
    ['', '2.1'],
    ['v2.40/', '2.40'],
  ] as const) {
    it(`reports tenant usage at ${version}`, async () => {
      const base = `os-simple-tenant-usage/${dir}`;
      const paged = version === '2.40' ? '&limit=1' : '';
      const all = await api.request('GET', `/v2.1/os-simple-tenant-usage?${WINDOW}${paged}`, {
        version,
      });
      assert.deepEqual(shapeDiff(all.body, sample(`${base}simple-tenant-usage-get.json`)), []);
      assert.equal(all.body.tenant_usages[0].total_hours, 1);
      assert.equal(all.body.tenant_usages[0].total_memory_mb_usage, 512);
      const detail = await api.request(
        'GET',
        `/v2.1/os-simple-tenant-usage?${WINDOW}&detailed=1${paged}`,
        { version },
      );
      assert.deepEqual(
        shapeDiff(detail.body, sample(`${base}simple-tenant-usage-get-detail.json`)),
        [],
      );
      const one = await api.request('GET', `/v2.1/os-simple-tenant-usage/p1?${WINDOW}${paged}`, {
        version,
      });
      assert.deepEqual(
        shapeDiff(one.body, sample(`${base}simple-tenant-usage-get-specific.json`)),
        [],
      );
      if (version === '2.40') {
        const every = await api.request(
          'GET',
          `/v2.1/os-simple-tenant-usage?${WINDOW}&detailed=1`,
          { version },
        );
        assert.deepEqual(
          shapeDiff(every.body, sample(`${base}simple-tenant-usage-get-all.json`)),
          [],
        );
      }
    });
  }

  it('summarises the instance usage audit', async () => {
    const index = await api.request('GET', '/v2.1/os-instance_usage_audit_log');
    assert.deepEqual(
      shapeDiff(
        index.body,
        sample('os-instance-usage-audit-log/inst-usage-audit-log-index-get-resp.json'),
        {
          freeform: ['instance_usage_audit_logs.log'],
        },
      ),
      [],
    );
    assert.equal(index.body.instance_usage_audit_logs.period_beginning, '2025-12-01 00:00:00');
    assert.equal(
      index.body.instance_usage_audit_logs.overall_status,
      '0 of 1 hosts done. 0 errors.',
    );
    const show = await api.request('GET', '/v2.1/os-instance_usage_audit_log/2012-07-05 10:00:00');
    assert.deepEqual(
      shapeDiff(
        show.body,
        sample('os-instance-usage-audit-log/inst-usage-audit-log-show-get-resp.json'),
        {
          freeform: ['instance_usage_audit_log.log'],
        },
      ),
      [],
    );
    assert.equal(show.body.instance_usage_audit_log.period_ending, '2012-07-01 00:00:00');
  });

  it('lists the legacy extensions', async () => {
    const list = await api.request('GET', '/v2.1/extensions', { token: 'u:p1' });
    assert.deepEqual(shapeDiff(list.body, sample('extension-info/extensions-list-resp.json')), []);
    const one = await api.request('GET', '/v2.1/extensions/os-agents');
    assert.deepEqual(shapeDiff(one.body, sample('extension-info/extensions-get-resp.json')), []);
    const legacy = await api.request('GET', '/v2/extensions');
    assert.deepEqual(
      shapeDiff(legacy.body, sample('extension-info/extensions-list-resp-v21-compatible.json')),
      [],
    );
    assert.ok(legacy.body.extensions.some((e: any) => e.alias === 'OS-EXT-VIF-NET'));
  });
});
