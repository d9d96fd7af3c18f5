// The quota recheck under real concurrency on PostgreSQL: 20 creates at once against a quota of
// 5 instances leave exactly 5 servers. The servers API and the boot pipeline run in one process
// on a private PostgreSQL (READ COMMITTED, a pool of connections), where two inserts can each
// miss the other's uncommitted row unless the recheck is serialised per project.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { postgresSkip, startPostgres, type PostgresServer } from '../harness/postgres.js';
import { startServersCloud, type ServersCloud } from './harness/servers-cloud.js';

describe('servers: quota race on PostgreSQL', { skip: postgresSkip() }, () => {
  let pg: PostgresServer;
  let cloud: ServersCloud;

  before(async () => {
    pg = await startPostgres();
    const url = await pg.createDatabase('quota_race');
    cloud = await startServersCloud({
      OS_DATABASE__CONNECTION: url,
      OS_QUOTA__INSTANCES: '5',
      // Enough connections for every request at once, as several API workers would have.
      OS_DATABASE__MAX_POOL_SIZE: '30',
    });
    // A loaded database: each new instance row stays uncommitted a little while after its id
    // was taken, which is the window in which a concurrent recheck could miss it.
    await sql`
      create function slow_instance_insert() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.02 + random() * 0.08); return new; end $$`.execute(
      cloud.cell.kysely,
    );
    await sql`
      create trigger slow_instance_insert after insert on instances
      for each row execute function slow_instance_insert()`.execute(cloud.cell.kysely);
  });
  after(async () => {
    await cloud?.stop();
    await pg?.stop();
  });

  it('lets exactly 5 of 20 concurrent creates through a quota of 5 instances', async () => {
    const token = 'racer:race-project';
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        cloud.boot(
          // Metadata and tags make each insert's transaction several statements long.
          { name: `race-${i}`, networks: 'none', metadata: { n: String(i) }, tags: ['race'] },
          { token, version: '2.90' },
        ),
      ),
    );
    const statuses = replies.map((r) => r.status);
    const summary = JSON.stringify(statuses);
    assert.equal(statuses.filter((s) => s === 202).length, 5, summary);
    assert.equal(statuses.filter((s) => s === 403).length, 15, summary);
    const refused = replies.find((r) => r.status === 403)!;
    assert.match(JSON.stringify(refused.body), /Quota exceeded for instances/);
    const listed = await cloud.request('GET', '/v2.1/servers', { token });
    assert.equal(listed.body.servers.length, 5);
    // Nothing of a refused request was left behind in the cell database.
    const rows = await cloud.cell.kysely
      .selectFrom('instances')
      .select('uuid')
      .where('project_id', '=', 'race-project')
      .execute();
    assert.equal(rows.length, 5);
  });
});
