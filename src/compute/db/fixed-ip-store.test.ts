import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { newInstanceRow } from '../../../test/harness/compute-fixtures.js';
import { forEachDialect } from '../../../test/harness/dialects.js';
import { randomIds } from '../../common/ids.js';
import { FlatNetwork } from '../flat-network.js';
import {
  FixedIpAlreadyInUseError,
  NetworkNotFoundError,
  NoMoreFixedIpsError,
} from '../network-errors.js';
import { cellMigrations } from './cell-migrations.js';
import { FixedIpStore } from './fixed-ip-store.js';
import { InstanceStore } from './instance-store.js';

const NET = '2c5f6e1a-7d3b-4c8e-9f0a-1b2c3d4e5f60';

function network(cidr: string, cidrV6?: string): FlatNetwork {
  return FlatNetwork.fromSettings({
    network_name: 'private',
    network_uuid: NET,
    cidr,
    gateway: undefined,
    cidr_v6: cidrV6,
    gateway_v6: undefined,
  });
}

forEachDialect('fixed ip store', (ctx) => {
  test('allocates the lowest free address, records network_info, releases on delete', async () => {
    const db = await ctx.open({ migrations: [cellMigrations] });
    const clock = { now: () => Date.now() };
    const instances = new InstanceStore(db, clock);
    const ips = new FixedIpStore(db, clock, randomIds);
    const net = network('10.0.0.0/24', 'fd00:1::/64');
    const a = randomUUID();
    const b = randomUUID();
    await instances.create(newInstanceRow(a));
    await instances.create(newInstanceRow(b));

    const vifs = await ips.allocate(a, [{ networkUuid: NET, fixedIp: null }], net);
    assert.equal(vifs.length, 1);
    assert.match(vifs[0]!.address, /^fa:16:3e(:[0-9a-f]{2}){3}$/);
    const subnets = vifs[0]!.network.subnets;
    assert.deepEqual(
      subnets.map((s) => s.ips[0]!.address.split(':')[0]),
      ['10.0.0.2', 'fd00'],
    );
    assert.equal(subnets[0]!.gateway.address, '10.0.0.1');
    assert.deepEqual(JSON.parse((await instances.get(a)).network_info), vifs);
    // Asking again returns the same NIC (a redelivered request).
    assert.deepEqual(await ips.allocate(a, [{ networkUuid: NET, fixedIp: null }], net), vifs);

    await assert.rejects(
      ips.allocate(b, [{ networkUuid: NET, fixedIp: '10.0.0.2' }], net),
      (err: unknown) => err instanceof FixedIpAlreadyInUseError && err.message.includes(a),
    );
    await assert.rejects(
      ips.allocate(b, [{ networkUuid: randomUUID(), fixedIp: null }], net),
      NetworkNotFoundError,
    );
    const two = await ips.allocate(
      b,
      [
        { networkUuid: NET, fixedIp: '10.0.0.100' },
        { networkUuid: NET, fixedIp: null },
      ],
      net,
    );
    assert.deepEqual(
      two.map((v) => v.network.subnets[0]!.ips[0]!.address),
      ['10.0.0.100', '10.0.0.3'],
    );
    assert.equal(await ips.holder(NET, '10.0.0.100'), b);

    await instances.softDelete(a);
    assert.equal(await ips.holder(NET, '10.0.0.2'), undefined);
    await ips.release(b);
    assert.equal((await ips.ofInstance(b)).length, 0);
    assert.equal((await instances.get(b)).network_info, '[]');
  });

  test('concurrent allocations never share an address; an exhausted pool says so', async () => {
    const db = await ctx.open({ migrations: [cellMigrations] });
    const clock = { now: () => Date.now() };
    const instances = new InstanceStore(db, clock);
    const ips = new FixedIpStore(db, clock, randomIds);
    const net = network('10.1.0.0/28'); // 13 pool addresses
    const uuids = Array.from({ length: 16 }, () => randomUUID());
    for (const u of uuids) await instances.create(newInstanceRow(u));
    const results = await Promise.allSettled(
      uuids.map((u) => ips.allocate(u, [{ networkUuid: NET, fixedIp: null }], net)),
    );
    const got = results.flatMap((r) =>
      r.status === 'fulfilled' ? [r.value[0]!.network.subnets[0]!.ips[0]!.address] : [],
    );
    assert.equal(got.length, 13);
    assert.equal(new Set(got).size, 13);
    const failed = results.filter((r) => r.status === 'rejected');
    assert.equal(failed.length, 3);
    for (const f of failed)
      assert.ok(
        (f as PromiseRejectedResult).reason instanceof NoMoreFixedIpsError,
        String((f as PromiseRejectedResult).reason),
      );
  });
});
