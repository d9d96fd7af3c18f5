import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_API_VERSION } from '../../src/compute/api/microversion/supported-versions.js';
import { startComputeApi, type ComputeApiHandle } from './harness/compute-api-app.js';

describe('compute API versions and microversion negotiation', () => {
  let api: ComputeApiHandle;
  before(async () => {
    api = await startComputeApi();
  });
  after(() => api.close());
  const max = MAX_API_VERSION.toString();

  it('lists v2.0 and v2.1 at / without a token, with self links', async () => {
    const r = await api.request('GET', '/', { token: null, headers: { host: 'cloud:8774' } });
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.versions.map((v: any) => [v.id, v.status, v.version, v.min_version, v.links[0].href]),
      [
        ['v2.0', 'DEPRECATED', '', '', 'http://cloud:8774/v2/'],
        ['v2.1', 'CURRENT', max, '2.1', 'http://cloud:8774/v2.1/'],
      ],
    );
    assert.equal(r.headers['openstack-api-version'], undefined);
  });

  it('describes v2.1 at /v2.1 and /v2.1/ without a token', async () => {
    for (const url of ['/v2.1', '/v2.1/']) {
      const r = await api.request('GET', url, { token: null });
      assert.equal(r.status, 200);
      assert.equal(r.body.version.id, 'v2.1');
      assert.equal(r.body.version.version, max);
      assert.equal(r.headers['openstack-api-version'], 'compute 2.1');
    }
    const v2 = await api.request('GET', '/v2', { token: null });
    assert.equal(v2.body.version.id, 'v2.0');
    assert.equal(v2.headers['openstack-api-version'], undefined);
  });

  it('answers other root paths with the version choices (300)', async () => {
    const r = await api.request('GET', '/servers', { token: null });
    assert.equal(r.status, 300);
    assert.deepEqual(
      r.body.choices.map((c: any) => c.links[0].href.replace(/^http:\/\/[^/]+/, '')),
      ['/v2/servers', '/v2.1/servers'],
    );
  });

  it('defaults to 2.1 and echoes the version in both headers with Vary', async () => {
    const r = await api.request('GET', '/v2.1/flavors');
    assert.equal(r.headers['openstack-api-version'], 'compute 2.1');
    assert.equal(r.headers['x-openstack-nova-api-version'], '2.1');
    assert.match(String(r.headers.vary), /OpenStack-API-Version/);
    assert.match(String(r.headers.vary), /X-OpenStack-Nova-API-Version/);
  });

  it('reads the new header, the legacy header, and latest', async () => {
    const a = await api.request('GET', '/v2.1/flavors', {
      headers: { 'openstack-api-version': 'placement 1.2, compute 2.55' },
    });
    assert.equal(a.headers['openstack-api-version'], 'compute 2.55');
    const b = await api.request('GET', '/v2.1/flavors', {
      headers: { 'x-openstack-nova-api-version': '2.60' },
    });
    assert.equal(b.headers['x-openstack-nova-api-version'], '2.60');
    const c = await api.request('GET', '/v2.1/flavors', { version: 'latest' });
    assert.equal(c.headers['openstack-api-version'], `compute ${max}`);
  });

  it('refuses versions outside the range with 406 and malformed ones with 400', async () => {
    const high = await api.request('GET', '/v2.1/flavors', { version: '2.999' });
    assert.equal(high.status, 406);
    assert.deepEqual(high.body, {
      computeFault: {
        code: 406,
        message: `Version 2.999 is not supported by the API. Minimum is 2.1 and maximum is ${max}.`,
      },
    });
    const low = await api.request('GET', '/v2.1/flavors', { version: '2.0' });
    assert.equal(low.status, 406);
    for (const bad of ['2.01', '2', 'two', '3.x']) {
      const r = await api.request('GET', '/v2.1/flavors', { version: bad });
      assert.equal(r.status, 400, bad);
      assert.match(r.body.badRequest.message, /is of invalid format/);
    }
  });

  it('ignores microversion headers on the legacy /v2 API and sends none back', async () => {
    const r = await api.request('GET', '/v2/flavors/detail', { version: '2.999' });
    assert.equal(r.status, 200);
    assert.equal(r.headers['openstack-api-version'], undefined);
    assert.equal(r.body.flavors[0].description, undefined);
  });

  it('needs a token, answering 401 in keystonemiddleware form', async () => {
    const r = await api.request('GET', '/v2.1/flavors', { token: null });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 401);
  });

  it('serves routes under a project id prefix that matches the token, 400 otherwise', async () => {
    const ok = await api.request('GET', '/v2.1/abc123/flavors/1', { token: 'u:abc123' });
    assert.equal(ok.status, 200);
    assert.match(ok.body.flavor.links[0].href, /\/v2\.1\/abc123\/flavors\/1$/);
    assert.match(ok.body.flavor.links[1].href, /[^1]\/abc123\/flavors\/1$/);
    const bad = await api.request('GET', '/v2.1/def456/flavors/1', { token: 'u:abc123' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.badRequest.message, /Malformed request URL/);
  });

  it('renders unknown routes and methods as itemNotFound faults', async () => {
    const r = await api.request('GET', '/v2.1/no-such-thing');
    assert.equal(r.status, 404);
    assert.deepEqual(Object.keys(r.body), ['itemNotFound']);
  });

  it('404s an operation outside its microversion range (flavor update before 2.55)', async () => {
    const r = await api.request('PUT', '/v2.1/flavors/1', {
      version: '2.54',
      body: { flavor: { description: 'x' } },
    });
    assert.equal(r.status, 404);
  });

  it('rejects unsupported content types with 415 and malformed JSON with 400', async () => {
    const media = await api.request('POST', '/v2.1/flavors', {
      raw: '<flavor/>',
      headers: { 'content-type': 'application/xml' },
    });
    assert.equal(media.status, 415);
    assert.ok(media.body.badMediaType);
    const bad = await api.request('POST', '/v2.1/flavors', {
      raw: '{"flavor":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.badRequest.message, 'Malformed request body');
  });
});
