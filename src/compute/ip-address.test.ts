import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlatNetwork } from './flat-network.js';
import {
  bigIntToIp,
  canonicalIp,
  cidrContains,
  eui64Address,
  ipToBigInt,
  parseCidr,
} from './ip-address.js';

test('IPv4 and IPv6 round-trip to their canonical forms', () => {
  assert.equal(bigIntToIp(ipToBigInt('10.0.0.254'), 4), '10.0.0.254');
  assert.equal(canonicalIp('FD00:0:0:0:0:0:0:1'), 'fd00::1');
  assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalIp('::ffff:10.0.0.1'), '::ffff:a00:1');
  assert.equal(canonicalIp('::'), '::');
});

test('CIDRs normalize, contain, and reject nonsense', () => {
  const c = parseCidr('10.0.0.7/24');
  assert.equal(c.text, '10.0.0.0/24');
  assert.ok(cidrContains(c, '10.0.0.255'));
  assert.ok(!cidrContains(c, '10.0.1.0'));
  assert.ok(!cidrContains(c, 'fd00::1'));
  assert.throws(() => parseCidr('10.0.0.0'), /not a CIDR/);
  assert.throws(() => parseCidr('10.0.0.0/33'), /longer than 32/);
});

test('SLAAC addresses are the modified EUI-64 of the MAC', () => {
  const n = eui64Address(parseCidr('fd00:1::/64'), 'fa:16:3e:12:34:56');
  assert.equal(bigIntToIp(n, 6), 'fd00:1::f816:3eff:fe12:3456');
});

test('the flat network pool skips the network, gateway and broadcast addresses', () => {
  const net = FlatNetwork.fromSettings({
    network_name: 'private',
    network_uuid: '2c5f6e1a-7d3b-4c8e-9f0a-1b2c3d4e5f60',
    cidr: '10.9.0.0/29',
    gateway: undefined,
    cidr_v6: undefined,
    gateway_v6: undefined,
  });
  assert.deepEqual(
    [...net.pool()].map((n) => net.v4Text(n)),
    ['10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6'],
  );
  assert.equal(net.poolSize(), 5);
  assert.ok(net.inPool('10.9.0.6'));
  assert.ok(!net.inPool('10.9.0.1'));
  assert.ok(!net.inPool('10.9.0.7'));
  assert.throws(
    () =>
      FlatNetwork.fromSettings({
        network_name: 'x',
        network_uuid: 'nope',
        cidr: '10.0.0.0/24',
        gateway: undefined,
        cidr_v6: undefined,
        gateway_v6: undefined,
      }),
    /\[flat_network\] network_uuid/,
  );
});
