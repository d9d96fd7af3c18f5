import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError } from '../../../common/errors.js';
import { describeHost, parseTransportUrl } from './transport-url.js';

it('parses a single host with credentials and vhost', () => {
  assert.deepEqual(parseTransportUrl('rabbit://nova:s%40cret@mq.example:5673/cloud'), {
    hosts: [{ hostname: 'mq.example', port: 5673, username: 'nova', password: 's@cret' }],
    vhost: 'cloud',
  });
});

it('defaults port, credentials and vhost', () => {
  assert.deepEqual(parseTransportUrl('rabbit://mq/'), {
    hosts: [{ hostname: 'mq', port: 5672, username: 'guest', password: 'guest' }],
    vhost: '/',
  });
  assert.equal(parseTransportUrl('rabbit://mq').vhost, '/');
  assert.equal(parseTransportUrl('rabbit://mq/%2F').vhost, '/');
});

it('parses several hosts, later ones inheriting credentials', () => {
  const url = parseTransportUrl('rabbit://a:pa@h1:5672,h2:5673,b:pb@[::1]:5674/v');
  assert.deepEqual(url.hosts, [
    { hostname: 'h1', port: 5672, username: 'a', password: 'pa' },
    { hostname: 'h2', port: 5673, username: 'a', password: 'pa' },
    { hostname: '::1', port: 5674, username: 'b', password: 'pb' },
  ]);
  assert.equal(describeHost(url.hosts[2]!), 'b@[::1]:5674');
});

it('rejects bad URLs without echoing the password', () => {
  for (const bad of [
    'amqp://h/',
    'rabbit://',
    'rabbit://u:pw@h:99999/',
    'rabbit://u:pw@h/?ssl=1',
    'rabbit://u:pw@h:x/',
  ]) {
    assert.throws(
      () => parseTransportUrl(bad),
      (err) => err instanceof ConfigError && !err.message.includes('pw@'),
      bad,
    );
  }
});
