import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError } from '../../common/errors.js';
import { createLogger } from '../log/create-logger.js';
import { Metrics } from '../metrics/metrics.js';
import { createHttpServer } from './create-http-server.js';

function makeApp() {
  const metrics = new Metrics({ defaultMetrics: false });
  const app = createHttpServer({
    service: 'test',
    logger: createLogger({ service: 'test', host: 'h', silent: true }),
    metrics,
    bodyLimit: 1024,
    renderError: (err) => ({
      status: err.status,
      body: { fault: { code: err.status, message: err.message } },
    }),
  });
  app.get('/conflict', async () => {
    throw new ConflictError('busy');
  });
  app.get('/boom', async () => {
    throw new Error('secret internals');
  });
  app.post('/echo', async (req) => req.body);
  app.get('/slow', async () => {
    await new Promise((r) => setTimeout(r, 200));
    return { done: true };
  });
  return app;
}

describe('createHttpServer', () => {
  it('gives each response an OpenStack request id, keeping a well-formed one from the caller', async () => {
    const app = makeApp();
    const r1 = await app.inject({ method: 'POST', url: '/echo', payload: { a: 1 } });
    assert.match(String(r1.headers['x-openstack-request-id']), /^req-[0-9a-f-]{36}$/);
    const mine = 'req-11111111-2222-3333-4444-555555555555';
    const r2 = await app.inject({
      method: 'GET',
      url: '/conflict',
      headers: { 'x-openstack-request-id': mine },
    });
    assert.equal(r2.headers['x-openstack-request-id'], mine);
    const r3 = await app.inject({
      method: 'GET',
      url: '/conflict',
      headers: { 'x-openstack-request-id': 'evil\nid' },
    });
    assert.notEqual(r3.headers['x-openstack-request-id'], 'evil\nid');
  });

  it('renders typed errors, unknown routes and unexpected errors through the API renderer', async () => {
    const app = makeApp();
    const conflict = await app.inject({ method: 'GET', url: '/conflict' });
    assert.equal(conflict.statusCode, 409);
    assert.deepEqual(conflict.json(), { fault: { code: 409, message: 'busy' } });
    const missing = await app.inject({ method: 'GET', url: '/nope' });
    assert.equal(missing.statusCode, 404);
    const boom = await app.inject({ method: 'GET', url: '/boom' });
    assert.equal(boom.statusCode, 500);
    assert.doesNotMatch(boom.body, /secret internals/);
  });

  it('sends a renderer-chosen content type, such as a plain-text fault', async () => {
    const app = createHttpServer({
      service: 'test',
      logger: createLogger({ service: 'test', host: 'h', silent: true }),
      bodyLimit: 1024,
      renderError: (err) => ({
        status: err.status,
        body: `${err.status} ${err.message}`,
        contentType: 'text/plain; charset=UTF-8',
      }),
    });
    app.get('/conflict', async () => {
      throw new ConflictError('busy');
    });
    const r = await app.inject({ method: 'GET', url: '/conflict' });
    assert.equal(r.statusCode, 409);
    assert.match(String(r.headers['content-type']), /^text\/plain/);
    assert.equal(r.body, '409 busy');
  });

  it('answers bad JSON with 400, an oversized body with 413 and a strange type with 415', async () => {
    const app = makeApp();
    const bad = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{nope',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().fault.code, 400);
    const big = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: { x: 'y'.repeat(5000) },
    });
    assert.equal(big.statusCode, 413);
    const odd = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/x-odd' },
      payload: 'x',
    });
    assert.equal(odd.statusCode, 415);
  });

  it('serves latency metrics by route and status at /metrics', async () => {
    const app = makeApp();
    await app.inject({ method: 'GET', url: '/conflict' });
    const m = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(m.statusCode, 200);
    assert.match(
      m.body,
      /stratus_http_request_duration_seconds_count\{service="test",method="GET",route="\/conflict",status="409"\} 1/,
    );
  });

  it('finishes in-flight requests on close before it resolves', async () => {
    const app = makeApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    const pending = fetch(`http://127.0.0.1:${address.port}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    await app.close();
    const res = await pending;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { done: true });
  });
});
