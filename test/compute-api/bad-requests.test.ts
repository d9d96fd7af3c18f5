/**
 * Every compute API route (servers aside, tested with their backend) against malformed input:
 * unknown or malformed microversions, bad JSON, wrong content types, oversized bodies, bodies and
 * query strings of the wrong shape, odd path parameters — each must be answered with a 4xx in
 * Nova's fault format, never a 5xx or a hang.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allRoutes } from '../../src/compute/api/routes/all-routes.js';
import type { ApiDeps } from '../../src/compute/api/routing/api-deps.js';
import type { AnyRouteSpec, OperationSpec } from '../../src/compute/api/routing/route-spec.js';
import { RequestValidator } from '../../src/compute/api/validation/request-validator.js';
import {
  startComputeApi,
  type ComputeApiHandle,
  type RequestOptions,
} from './harness/compute-api-app.js';
import { addComputeHost } from './harness/hosts.js';

const routes: AnyRouteSpec[] = allRoutes({} as ApiDeps);
const operations = (r: AnyRouteSpec): OperationSpec[] =>
  'actions' in r ? Object.values(r.actions) : [r];
const VERSIONS = ['2.1', '2.10', '2.36', '2.53', '2.75', '2.88', '2.102', 'latest'];
const PARAMS = [
  '1',
  'nope',
  '00000000-0000-4000-8000-000000000000',
  '%27%22%3B--',
  'x'.repeat(300),
];
const JUNK: unknown[] = [null, [], 'text', 12, true, {}, { a: { b: { c: [] } } }, 1e300];

function urls(path: string): string[] {
  return PARAMS.map((p) => `/v2.1${path.replace(/:[a-z_]+/g, p)}`);
}

/** Bodies of the wrong shape derived from a schema: its keys with junk, nested keys with junk. */
function bodiesFor(schema: any): unknown[] {
  const out: unknown[] = [...JUNK];
  const top = Object.keys(schema?.properties ?? {});
  for (const key of top) {
    for (const j of JUNK) out.push({ [key]: j });
    const inner = Object.keys(schema.properties[key]?.properties ?? {});
    for (const k of inner) for (const j of JUNK) out.push({ [key]: { [k]: j } });
    out.push({ [key]: {}, extra: 1 });
  }
  return out;
}

function assertFault(r: { status: number; body: any; text: string }, what: string): void {
  assert.ok(r.status < 500, `${what} → ${r.status} ${r.text}`);
  if (r.status >= 400 && r.status !== 401) {
    const keys = Object.keys(r.body ?? {});
    assert.equal(keys.length, 1, `${what}: fault body ${r.text}`);
    assert.equal(r.body[keys[0]!].code, r.status, `${what}: fault code ${r.text}`);
    assert.equal(typeof r.body[keys[0]!].message, 'string', `${what}: fault message`);
  }
}

describe('every route answers bad requests with a 4xx fault', () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi({ config: { oslo_middleware: { max_request_body_size: '4096' } } });
    await addComputeHost(api, 'h1');
  });
  after(() => api.close());

  it('compiles every request schema of every version', () => {
    const v = new RequestValidator();
    for (const r of routes) {
      for (const op of operations(r)) {
        for (const s of [...(op.body?.all() ?? []), ...(op.query?.all() ?? [])]) {
          const c = v.compile(s.value);
          assert.doesNotThrow(() => {
            try {
              c.body({}, true);
            } catch (err) {
              if ((err as { status?: number }).status !== 400) throw err;
            }
          }, `${r.method} ${r.path}`);
        }
      }
    }
  });

  it('refuses unknown and malformed microversions on every route', async () => {
    for (const r of routes) {
      for (const [version, status] of [
        ['2.999', 406],
        ['3.0', 406],
        ['2.0', 406],
        ['2.x', 400],
        ['', 200],
      ] as const) {
        const url = urls(r.path)[0]!;
        const res = await api.request(r.method, url, {
          headers: { 'openstack-api-version': `compute ${version}` },
          ...(r.method === 'POST' || r.method === 'PUT' ? { body: {} } : {}),
        });
        if (status === 200) assertFault(res, `${r.method} ${url} @${version}`);
        else assert.equal(res.status, status, `${r.method} ${url} @${version}: ${res.text}`);
      }
    }
  });

  it('answers junk bodies, media types and sizes on every write route with a 4xx', async () => {
    for (const r of routes.filter((x) => x.method === 'POST' || x.method === 'PUT')) {
      const url = urls(r.path)[0]!;
      const attempts: [string, RequestOptions][] = [
        ['malformed', { raw: '{"a":', headers: { 'content-type': 'application/json' } }],
        ['xml', { raw: '<a/>', headers: { 'content-type': 'application/xml' } }],
        [
          'oversized',
          {
            raw: JSON.stringify({ a: 'x'.repeat(8192) }),
            headers: { 'content-type': 'application/json' },
          },
        ],
        ['empty', { raw: '', headers: { 'content-type': 'application/json' } }],
      ];
      for (const [what, opts] of attempts) {
        const res = await api.request(r.method, url, opts);
        assert.ok(
          res.status >= 400 && res.status < 500,
          `${r.method} ${url} ${what} → ${res.status} ${res.text}`,
        );
        assertFault(res, `${r.method} ${url} ${what}`);
      }
      const expected: Record<string, number> = { malformed: 400, xml: 415, oversized: 413 };
      for (const [what, opts] of attempts) {
        if (!(what in expected)) continue;
        assert.equal(
          (await api.request(r.method, url, opts)).status,
          expected[what],
          `${r.method} ${url} ${what}`,
        );
      }
      for (const version of VERSIONS) {
        for (const op of operations(r)) {
          const schema = op.body?.all().at(-1)?.value;
          for (const body of bodiesFor(schema)) {
            const res = await api.request(r.method, url, { version, body });
            assertFault(res, `${r.method} ${url} @${version} ${JSON.stringify(body).slice(0, 80)}`);
          }
        }
      }
    }
  });

  it('answers odd path parameters and query strings with at most a 4xx', async () => {
    const queries = [
      '?limit=-1',
      '?limit=abc&marker=',
      '?sort_key=nope&sort_dir=sideways',
      '?with_servers=maybe',
      '?%ff=1',
      '?user_id=&tenant_id=x&all_projects=1&start=x',
    ];
    for (const r of routes) {
      for (const url of urls(r.path)) {
        for (const version of ['2.1', '2.53', 'latest']) {
          for (const q of r.method === 'GET' ? queries : ['']) {
            const res = await api.request(r.method, `${url}${q}`, {
              version,
              ...(r.method === 'POST' || r.method === 'PUT' ? { body: {} } : {}),
            });
            assertFault(res, `${r.method} ${url}${q} @${version}`);
          }
        }
      }
    }
  });

  it('does the same on the legacy v2 API', async () => {
    for (const r of routes) {
      const url = urls(r.path)[0]!.replace('/v2.1', '/v2');
      for (const body of r.method === 'POST' || r.method === 'PUT' ? JUNK : [undefined]) {
        const res = await api.request(r.method, url, body === undefined ? {} : { body });
        assertFault(res, `legacy ${r.method} ${url} ${JSON.stringify(body)}`);
      }
    }
  });
});
