import assert from 'node:assert/strict';
import { it } from 'node:test';
import { apiDbMigrations } from '../../src/compute/api-db-migrations.js';
import { QuotaStore } from '../../src/compute/api/quota/quota-store.js';
import { KeyPairStore } from '../../src/compute/api/store/keypair-store.js';
import { forEachDialect } from '../harness/dialects.js';
import { TestClock } from './harness/compute-api-app.js';

forEachDialect('compute API quota and key pair stores', (ctx) => {
  it('upserts project, user and class limits and deletes them', async () => {
    const store = new QuotaStore(
      await ctx.open({ migrations: [apiDbMigrations] }),
      new TestClock(),
    );
    await store.setLimits('p', undefined, { cores: 4, ram: 10 });
    await store.setLimits('p', undefined, { cores: 8 });
    await store.setLimits('p', 'u1', { cores: 2 });
    await store.setLimits('p', 'u2', { cores: 3 });
    await store.setClassLimits('default', { instances: 9 });
    await store.setClassLimits('default', { instances: 11 });
    assert.deepEqual(await store.projectLimits('p'), { cores: 8, ram: 10 });
    assert.deepEqual(await store.userLimits('p', 'u1'), { cores: 2 });
    assert.deepEqual(await store.userLimitTotals('p'), { cores: 5 });
    assert.deepEqual(await store.classLimits('default'), { instances: 11 });
    await store.deleteLimits('p', 'u1');
    assert.deepEqual(await store.userLimitTotals('p'), { cores: 3 });
    await store.deleteLimits('p');
    assert.deepEqual(await store.projectLimits('p'), {});
    assert.deepEqual(await store.userLimits('p', 'u2'), {});
  });

  it('keeps key pairs unique per user, pages by name and counts them', async () => {
    const db = await ctx.open({ migrations: [apiDbMigrations] });
    const keys = new KeyPairStore(db, new TestClock());
    const quota = new QuotaStore(db, new TestClock());
    for (const name of ['b', 'a', 'c']) {
      await keys.create({ name, userId: 'u', fingerprint: 'f', publicKey: 'k', type: 'ssh' });
    }
    await keys.create({ name: 'a', userId: 'v', fingerprint: 'f', publicKey: 'k', type: 'x509' });
    await assert.rejects(
      keys.create({ name: 'a', userId: 'u', fingerprint: 'f', publicKey: 'k', type: 'ssh' }),
      /Key pair 'a' already exists/,
    );
    assert.deepEqual(
      (await keys.list('u', { limit: 2 })).map((k) => k.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      (await keys.list('u', { marker: 'b' })).map((k) => k.name),
      ['c'],
    );
    assert.equal(await quota.countKeyPairs('u'), 3);
    assert.equal((await keys.get('v', 'a')).type, 'x509');
    await keys.delete('u', 'a');
    await assert.rejects(keys.delete('u', 'a'), /Keypair a not found for user u/);
  });
});
