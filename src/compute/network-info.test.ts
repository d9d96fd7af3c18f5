import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressesByNetwork, ipFilter, parseNetworkInfo, type VifInfo } from './network-info.js';

const vif = (mac: string, v4: string, v6?: string): VifInfo => ({
  id: `port-${mac}`,
  address: mac,
  type: 'bridge',
  devname: 'tap',
  vnic_type: 'normal',
  active: true,
  preserve_on_delete: false,
  network: {
    id: 'net',
    label: 'private',
    subnets: [
      {
        cidr: '10.0.0.0/24',
        gateway: { address: '10.0.0.1', type: 'gateway', version: 4 },
        ips: [{ address: v4, type: 'fixed', version: 4, floating_ips: [] }],
        version: 4,
        dns: [],
        routes: [],
      },
      ...(v6
        ? [
            {
              cidr: 'fd00::/64',
              gateway: { address: 'fd00::1', type: 'gateway' as const, version: 6 as const },
              ips: [{ address: v6, type: 'fixed' as const, version: 6 as const, floating_ips: [] }],
              version: 6 as const,
              dns: [],
              routes: [],
            },
          ]
        : []),
    ],
  },
});

test('addresses group by network label, extended with type and MAC on request', () => {
  const info = [
    vif('fa:16:3e:00:00:01', '10.0.0.2', 'fd00::2'),
    vif('fa:16:3e:00:00:02', '10.0.0.3'),
  ];
  assert.deepEqual(addressesByNetwork(info, false), {
    private: [
      { version: 4, addr: '10.0.0.2' },
      { version: 6, addr: 'fd00::2' },
      { version: 4, addr: '10.0.0.3' },
    ],
  });
  assert.equal(
    addressesByNetwork(info, true).private![2]!['OS-EXT-IPS-MAC:mac_addr'],
    'fa:16:3e:00:00:02',
  );
  assert.deepEqual(parseNetworkInfo('not json'), []);
});

test('ip and ip6 filters match from the start of an address of their version', () => {
  const text = JSON.stringify([vif('fa:16:3e:00:00:01', '10.0.0.12', 'fd00::12')]);
  assert.equal(ipFilter(undefined, undefined), undefined);
  assert.ok(ipFilter('10.0.0.1', undefined)!(text));
  assert.ok(!ipFilter('0.0.1', undefined)!(text));
  assert.ok(ipFilter(undefined, 'fd00::1')!(text));
  assert.ok(!ipFilter('fd00', undefined)!(text));
  assert.ok(!ipFilter('10.0.0.2', undefined)!('[]'));
});
