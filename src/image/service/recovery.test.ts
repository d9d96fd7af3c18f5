// Start-up recovery: transfers cut short by a crash of this host are undone, leftovers removed.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { dialectSuite } from '../../../test/harness/dialects.js';
import { imageMigrations } from '../db/image-migrations.js';
import { imageApiFixture, type ImageApiFixture } from '../image-api-fixture.js';

/** Above Linux's largest pid, so certainly not a live process. */
const DEAD_PID = 4194305;

dialectSuite('sqlite', 'image start-up recovery', (ctx) => {
  let f: ImageApiFixture;
  before(async () => {
    f = await imageApiFixture(await ctx.open({ migrations: [imageMigrations] }));
  });
  after(() => f.close());

  it('resets interrupted uploads and imports of this host and removes unreferenced data', async () => {
    const saving = await f.createImage('a:p');
    const importing = await f.createImage('a:p');
    const staging = await f.createImage('a:p');
    const elsewhere = await f.createImage('a:p');
    const active = await f.createImage('a:p');
    await f.repo.transition(saving, 'queued', 'saving', { worker_host: 'test-host' });
    await f.repo.transition(importing, 'queued', 'uploading', {
      worker_host: 'test-host',
      size: 3,
    });
    await f.repo.transition(importing, 'uploading', 'importing');
    await f.repo.transition(staging, 'queued', 'uploading', { worker_host: 'test-host' });
    await f.repo.transition(elsewhere, 'queued', 'saving', { worker_host: 'other-host' });
    await f.call('PUT', `/v2/images/${active}/file`, {
      token: 'a:p',
      body: Buffer.from('data'),
      headers: { 'content-type': 'application/octet-stream' },
    });

    const partial = join(f.dataDir, '.partial', `${saving}.${DEAD_PID}.abc`);
    const livePartial = join(f.dataDir, '.partial', `${elsewhere}.${process.pid}.abc`);
    const orphan = join(f.dataDir, '00000000-0000-4000-8000-00000000dead');
    writeFileSync(partial, 'x');
    writeFileSync(livePartial, 'x');
    writeFileSync(orphan, 'x');
    const operatorFile = join(f.dataDir, 'README');
    writeFileSync(operatorFile, 'not image data');
    writeFileSync(join(f.stagingDir, importing), 'abc');

    await f.data.recover();

    assert.equal((await f.repo.get(saving))?.status, 'queued');
    assert.equal((await f.repo.get(importing))?.status, 'uploading');
    assert.equal((await f.repo.get(staging))?.status, 'queued');
    assert.equal((await f.repo.get(elsewhere))?.status, 'saving');
    assert.equal((await f.repo.get(active))?.status, 'active');
    assert.equal(existsSync(partial), false);
    assert.equal(existsSync(livePartial), true);
    assert.equal(existsSync(orphan), false);
    assert.equal(existsSync(operatorFile), true);
    assert.equal(existsSync(join(f.dataDir, active)), true);
    assert.equal(existsSync(join(f.stagingDir, importing)), true);

    // The import can then be run again from the staged data.
    const again = await f.call('POST', `/v2/images/${importing}/import`, {
      token: 'a:p',
      json: { method: { name: 'glance-direct' } },
    });
    assert.equal(again.statusCode, 202);
  });
});
