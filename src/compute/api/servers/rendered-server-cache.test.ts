import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RenderedServerCache } from './rendered-server-cache.js';

const body = (s: string) => Buffer.from(s);

test('answers only for the view and revision a body was rendered at', () => {
  const cache = new RenderedServerCache(1024);
  cache.set('v2.90', 'a', 3, body('{"id":"a"}'));
  assert.equal(cache.get('v2.90', 'a', 3)?.toString(), '{"id":"a"}');
  assert.equal(cache.get('v2.90', 'a', 4), undefined);
  assert.equal(cache.get('v2.1', 'a', 3), undefined);
});

test('a newer revision replaces the older body; an older one never replaces a newer', () => {
  const cache = new RenderedServerCache(1024);
  cache.set('v', 'a', 1, body('one'));
  cache.set('v', 'a', 2, body('two'));
  assert.equal(cache.size, 1);
  cache.set('v', 'a', 1, body('stale'));
  assert.equal(cache.get('v', 'a', 2)?.toString(), 'two');
  assert.equal(cache.get('v', 'a', 1), undefined);
});

test('keeps within its byte budget, dropping the oldest bodies first', () => {
  const cache = new RenderedServerCache(10);
  cache.set('v', 'a', 1, body('aaaa'));
  cache.set('v', 'b', 1, body('bbbb'));
  cache.set('w', 'c', 1, body('cccc'));
  assert.equal(cache.get('v', 'a', 1), undefined);
  assert.equal(cache.get('v', 'b', 1)?.toString(), 'bbbb');
  assert.equal(cache.get('w', 'c', 1)?.toString(), 'cccc');
  cache.set('v', 'huge', 1, body('x'.repeat(11)));
  assert.equal(cache.get('v', 'huge', 1), undefined);
});

test('answers the facts of an instance only at the revision they were read at', () => {
  const cache = new RenderedServerCache(1024);
  const facts = (revision: number, host: string) => ({
    id: 7,
    revision,
    uuid: 'a',
    project_id: 'p',
    host,
  });
  cache.setFacts(facts(2, 'h1'));
  assert.equal(cache.facts(7, 2)?.host, 'h1');
  assert.equal(cache.facts(7, 3), undefined);
  cache.setFacts(facts(3, 'h2'));
  cache.setFacts(facts(2, 'h1'));
  assert.equal(cache.facts(7, 3)?.host, 'h2');
  assert.equal(cache.facts(7, 2), undefined);
});
