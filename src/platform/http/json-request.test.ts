import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { jsonRequest } from './json-request.js';

let server: Server;
let base: string;

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/slow') return; // never answers
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.writeHead(req.method === 'PUT' ? 201 : 200, {
        'content-type': 'application/json',
        'x-seen-token': String(req.headers['x-auth-token']),
      });
      res.end(JSON.stringify({ method: req.method, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('sends the method, headers and body, and answers status, headers and text', async () => {
  const res = await jsonRequest(`${base}/x`, {
    method: 'PUT',
    headers: { 'x-auth-token': 't1', 'content-type': 'application/json' },
    body: '{"a":1}',
    signal: new AbortController().signal,
  });
  assert.equal(res.status, 201);
  assert.equal(res.headers['x-seen-token'], 't1');
  assert.deepEqual(JSON.parse(res.text), { method: 'PUT', body: '{"a":1}' });
});

test('the signal aborts a request that gets no answer', async () => {
  const ac = new AbortController();
  const pending = jsonRequest(`${base}/slow`, { method: 'GET', headers: {}, signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(pending, { name: 'AbortError' });
});

test('an unreachable service is an error, not a hang', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  await assert.rejects(
    jsonRequest(`http://127.0.0.1:${port}/`, {
      method: 'GET',
      headers: {},
      signal: new AbortController().signal,
    }),
    { code: 'ECONNREFUSED' },
  );
});
