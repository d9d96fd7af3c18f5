/**
 * The compute API's calls to the other services of `stratus all`, seen through the real
 * `openstack` CLI: image metadata through Glance, hypervisor uptime from the compute agent,
 * aggregates mirrored into Placement, project ids checked with identity.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip, type CliResult } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

const NO_SUCH_PROJECT = '0123456789abcdef0123456789abcdef';
const FAKE_UPTIME = ' 08:32:11 up 93 days, 18:25, 12 users,  load average: 0.20, 0.12, 0.14';

describe(
  'openstack CLI against stratus all: compute to other services',
  { skip: openstackSkip() },
  () => {
    let stratus: StratusHandle;
    let env: Record<string, string>;
    let token: string;
    let project: string;
    const os = async (...args: string[]): Promise<CliResult> => {
      const r = await openstack(args, env);
      assert.equal(r.code, 0, `openstack ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
      return r;
    };
    const json = async (...args: string[]) => (await os(...args, '-f', 'json')).json();
    const compute = async (method: string, path: string, version: string, body?: unknown) => {
      const res = await fetch(`${stratus.url('compute')}/v2.1${path}`, {
        method,
        headers: {
          'x-auth-token': token,
          'openstack-api-version': `compute ${version}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, text };
    };
    /** The compute host's hypervisors, once its agent has reported. */
    const hypervisors = async (): Promise<any[]> => {
      for (let i = 0; i < 60; i++) {
        const list = await json('--os-compute-api-version', '2.53', 'hypervisor', 'list');
        if (list.length > 0) return list;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error('no hypervisor reported');
    };

    before(async () => {
      stratus = await startStratus({ startTimeoutMs: 120_000 });
      env = { OS_CLIENT_CONFIG_FILE: join(stratus.dataDir, 'clouds.yaml'), OS_CLOUD: 'stratus' };
      const issued = await json('token', 'issue');
      token = issued.id;
      project = issued.project_id;
    });
    after(async () => {
      await stratus?.stop();
    });

    it('changes image metadata through the compute API until 2.38, within metadata_items', async () => {
      const image = await json(
        'image',
        'create',
        '--disk-format',
        'raw',
        '--container-format',
        'bare',
        '--property',
        'a=1',
        'meta-img',
      );
      const merged = await compute('POST', `/images/${image.id}/metadata`, '2.38', {
        metadata: { b: '2' },
      });
      assert.equal(merged.status, 200, merged.text);
      assert.equal(merged.body.metadata.a, '1');
      assert.equal(merged.body.metadata.b, '2');
      const one = await compute('PUT', `/images/${image.id}/metadata/c`, '2.38', {
        meta: { c: '3' },
      });
      assert.equal(one.status, 200, one.text);
      const gone = await compute('DELETE', `/images/${image.id}/metadata/a`, '2.38');
      assert.equal(gone.status, 204, gone.text);
      const shown = await json('image', 'show', image.id);
      assert.equal(shown.properties.b, '2');
      assert.equal(shown.properties.c, '3');
      assert.equal('a' in shown.properties, false);
      assert.equal(
        (await compute('POST', `/images/${image.id}/metadata`, '2.39', { metadata: {} })).status,
        404,
      );

      await os('quota', 'set', '--properties', '2', project);
      const over = await compute('POST', `/images/${image.id}/metadata`, '2.38', {
        metadata: { d: '4' },
      });
      assert.equal(over.status, 403, over.text);
      assert.equal(over.body.forbidden.message, 'Image metadata limit exceeded');
      await os('quota', 'set', '--properties', '128', project);
    });

    it("shows the compute host's uptime from its agent, before and at 2.88", async () => {
      const [hv] = await hypervisors();
      const old = await json('--os-compute-api-version', '2.87', 'hypervisor', 'show', hv.ID);
      // The CLI splits the uptime line into its parts.
      assert.equal(old.host_time, '08:32:11');
      assert.equal(old.uptime, '93 days, 18:25');
      assert.equal(old.load_average, '0.20, 0.12, 0.14');
      const now = await compute('GET', `/os-hypervisors/${hv.ID}`, '2.88');
      assert.equal(now.body.hypervisor.uptime, FAKE_UPTIME);
      const legacy = await compute('GET', `/os-hypervisors/${hv.ID}/uptime`, '2.87');
      assert.equal(legacy.body.hypervisor.uptime, FAKE_UPTIME);

      const host = (await json('compute', 'service', 'list', '--service', 'stratus-compute'))[0]
        .Host;
      await os(
        '--os-compute-api-version',
        '2.11',
        'compute',
        'service',
        'set',
        '--down',
        host,
        'stratus-compute',
      );
      const down = await compute('GET', `/os-hypervisors/${hv.ID}/uptime`, '2.87');
      assert.equal(down.status, 400, down.text);
      assert.match(
        down.body.badRequest.message,
        /^Compute service of .* is unavailable at this time\.$/,
      );
      assert.equal(
        (await compute('GET', `/os-hypervisors/${hv.ID}`, '2.88')).body.hypervisor.uptime,
        null,
      );
      await os(
        '--os-compute-api-version',
        '2.11',
        'compute',
        'service',
        'set',
        '--up',
        host,
        'stratus-compute',
      );
    });

    it("puts an aggregate on the host's resource provider in Placement while the host is in it", async () => {
      const [hv] = await hypervisors();
      const host = (await json('compute', 'service', 'list', '--service', 'stratus-compute'))[0]
        .Host;
      const agg = await json(
        '--os-compute-api-version',
        '2.41',
        'aggregate',
        'create',
        'mirror-agg',
      );
      const other = await json(
        '--os-compute-api-version',
        '2.41',
        'aggregate',
        'create',
        'other-agg',
      );
      const rpAggregates = async () =>
        (
          await json(
            'resource',
            'provider',
            'aggregate',
            'list',
            '--os-placement-api-version',
            '1.19',
            hv.ID,
          )
        )
          .map((a: any) => a.uuid)
          .sort();
      assert.deepEqual(await rpAggregates(), []);
      await os('aggregate', 'add', 'host', 'mirror-agg', host);
      assert.deepEqual(await rpAggregates(), [agg.uuid]);
      await os('aggregate', 'add', 'host', 'other-agg', host);
      assert.deepEqual(await rpAggregates(), [agg.uuid, other.uuid].sort());
      const members = await json(
        'resource',
        'provider',
        'list',
        '--os-placement-api-version',
        '1.3',
        '--aggregate-uuid',
        agg.uuid,
      );
      assert.deepEqual(
        members.map((p: any) => p.uuid),
        [hv.ID],
      );
      await os('aggregate', 'remove', 'host', 'mirror-agg', host);
      assert.deepEqual(await rpAggregates(), [other.uuid]);
      await os('aggregate', 'remove', 'host', 'other-agg', host);
      assert.deepEqual(await rpAggregates(), []);
      await os('aggregate', 'delete', 'mirror-agg');
      await os('aggregate', 'delete', 'other-agg');
    });

    it('refuses flavor access and quotas for projects identity does not know (400)', async () => {
      await os(
        'flavor',
        'create',
        '--private',
        '--vcpus',
        '1',
        '--ram',
        '64',
        '--disk',
        '1',
        'proj-f',
      );
      const flavor = await openstack(
        ['flavor', 'set', '--project', NO_SUCH_PROJECT, 'proj-f'],
        env,
      );
      assert.notEqual(flavor.code, 0);
      const quota = await openstack(['quota', 'set', '--instances', '5', NO_SUCH_PROJECT], env);
      assert.notEqual(quota.code, 0);
      // The CLI looks the project up first; the API refuses on its own too.
      const flavorId = (await json('flavor', 'show', 'proj-f')).id;
      const add = await compute('POST', `/flavors/${flavorId}/action`, '2.1', {
        addTenantAccess: { tenant: NO_SUCH_PROJECT },
      });
      assert.equal(add.status, 400, add.text);
      assert.equal(
        add.body.badRequest.message,
        `Project ID ${NO_SUCH_PROJECT} is not a valid project.`,
      );
      for (const [method, path, body] of [
        ['PUT', `/os-quota-sets/${NO_SUCH_PROJECT}`, { quota_set: { instances: 5 } }],
        ['GET', `/os-quota-sets/${NO_SUCH_PROJECT}`, undefined],
        ['GET', `/os-quota-sets/${NO_SUCH_PROJECT}/defaults`, undefined],
      ] as const) {
        const r = await compute(method, path, '2.1', body);
        assert.equal(r.status, 400, `${method} ${path}: ${r.text}`);
        assert.match(r.body.badRequest.message, /is not a valid project\.$/);
      }
      // Removing access of an unknown project is not refused for that (nothing to remove: 404).
      const remove = await compute('POST', `/flavors/${flavorId}/action`, '2.1', {
        removeTenantAccess: { tenant: NO_SUCH_PROJECT },
      });
      assert.equal(remove.status, 404, remove.text);

      const real = await json('project', 'create', 'proj-real');
      await os('flavor', 'set', '--project', real.id, 'proj-f');
      await os('quota', 'set', '--instances', '5', real.id);
      assert.equal((await json('quota', 'show', real.id)).instances, 5);
      assert.deepEqual((await json('flavor', 'show', 'proj-f')).access_project_ids, [real.id]);
    });
  },
);
