import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDialect } from '../../../test/harness/dialects.js';
import { startPlacementTestApp, type PlacementTestApp } from '../testing/placement-test-app.js';

forEachDialect('placement API basics', (dialect) => {
  let t: PlacementTestApp;
  before(async () => {
    t = await startPlacementTestApp(dialect);
  });
  after(() => t.close());

  it('serves the version document at / without a token, with microversion headers', async () => {
    const r = await t.request('GET', '/', { token: null });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, {
      versions: [
        {
          id: 'v1.0',
          max_version: '1.39',
          min_version: '1.0',
          status: 'CURRENT',
          links: [{ rel: 'self', href: '' }],
        },
      ],
    });
    assert.equal(r.headers['openstack-api-version'], 'placement 1.0');
    assert.match(String(r.headers.vary), /openstack-api-version/);
    assert.equal(r.headers['cache-control'], undefined);
  });

  it('negotiates latest, and adds cache headers from 1.15', async () => {
    const r = await t.request('GET', '/', { version: 'latest' });
    assert.equal(r.headers['openstack-api-version'], 'placement 1.39');
    assert.equal(r.headers['cache-control'], 'no-cache');
    assert.match(String(r.headers['last-modified']), /^\w+, \d+ \w+ \d{4} [\d:]+ GMT$/);
  });

  it('answers 406 outside the version range with min and max, 400 for garbage', async () => {
    const r = await t.request('GET', '/', { version: '0.5' });
    assert.equal(r.status, 406);
    assert.equal(r.json.errors[0].title, 'Not Acceptable');
    assert.match(r.json.errors[0].detail, /Unacceptable version header: 0.5/);
    assert.equal(r.json.errors[0].max_version, '1.39');
    assert.equal(r.json.errors[0].min_version, '1.0');
    assert.equal(r.json.errors[0].code, undefined);
    const high = await t.request('GET', '/', { version: '1.40' });
    assert.equal(high.status, 406);
    for (const bad of ['pony.horse', '1.2.3']) {
      const b = await t.request('GET', '/', { version: bad });
      assert.equal(b.status, 400);
      assert.match(b.json.errors[0].detail, new RegExp(`invalid version string: ${bad}`));
      assert.equal(b.json.errors[0].title, 'Bad Request');
    }
  });

  it("picks placement's entry among several services' versions", async () => {
    const r = await t.request('GET', '/', {
      headers: { 'openstack-api-version': 'compute 2.90, placement 1.12, identity 3.1' },
    });
    assert.equal(r.headers['openstack-api-version'], 'placement 1.12');
  });

  it('renders errors as upstream: status, title, detail, request id, code from 1.23', async () => {
    const old = await t.request('GET', '/barnabas');
    assert.equal(old.status, 404);
    const e = old.json.errors[0];
    assert.equal(e.status, 404);
    assert.equal(e.title, 'Not Found');
    assert.equal(e.detail, 'The resource could not be found.\n\n   ');
    assert.match(e.request_id, /^req-[0-9a-f-]+$/);
    assert.equal(e.code, undefined);
    const newer = await t.request('GET', '/barnabas', { version: '1.23' });
    assert.equal(newer.json.errors[0].code, 'placement.undefined_code');
  });

  it('answers 401 without a token, except at the root', async () => {
    const r = await t.request('GET', '/resource_providers', { token: null });
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 401);
    assert.match(String(r.headers['www-authenticate']), /Keystone uri=/);
  });

  it('answers 405 with Allow for a known path and another method', async () => {
    const r = await t.request('DELETE', '/resource_providers');
    assert.equal(r.status, 405);
    assert.match(String(r.headers.allow), /^(GET, POST|POST, GET)$/);
    assert.equal(r.json.errors[0].title, 'Method Not Allowed');
    assert.match(r.json.errors[0].detail, /The method DELETE is not allowed for this resource\./);
    const root = await t.request('DELETE', '/');
    assert.equal(root.status, 405);
    assert.equal(root.headers.allow, 'GET');
    const post = await t.request('POST', '/', {
      body: '<x/>',
      headers: { 'content-type': 'application/xml' },
    });
    assert.equal(post.status, 405);
    assert.equal(post.headers['openstack-api-version'], 'placement 1.0');
  });

  it('checks Accept (406) and Content-Type (415, or 400 when missing)', async () => {
    const plain = await t.request('GET', '/resource_providers', {
      headers: { accept: 'text/plain' },
    });
    assert.equal(plain.status, 406);
    assert.match(plain.json.errors[0].detail, /Only application\/json is provided/);
    const browser = await t.request('GET', '/resource_providers', {
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    assert.equal(browser.status, 200);
    const text = await t.request('POST', '/resource_providers', {
      body: 'I want a resource provider please',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(text.status, 415);
    const none = await t.request('PUT', '/resource_providers/d3a64825-8228-4ccb-8a6c-1c6d3eb6a3e8');
    assert.equal(none.status, 415);
    assert.match(
      none.json.errors[0].detail,
      /The media type None is not supported, use application\/json/,
    );
    const missing = await t.app.inject({
      method: 'POST',
      url: '/resource_providers',
      headers: { 'x-auth-token': 'admin', 'content-length': '5' },
      payload: 'hello',
    });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /content-type header required/);
  });

  it('forbids non-admin callers by default policy', async () => {
    const r = await t.request('GET', '/resource_providers', { token: 'user' });
    assert.equal(r.status, 403);
    assert.equal(r.json.errors[0].title, 'Forbidden');
    assert.match(
      r.json.errors[0].detail,
      /Policy does not allow placement:resource_providers:list/,
    );
    const svc = await t.request('GET', '/resource_providers', { token: 'service' });
    assert.equal(svc.status, 200);
  });
});
