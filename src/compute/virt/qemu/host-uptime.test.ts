import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { uptimeText } from '../uptime-text.js';
import { countUtmpUsers, readHostUptime } from './host-uptime.js';

function utmpRecord(type: number, user: string): Buffer {
  const b = Buffer.alloc(384);
  b.writeInt32LE(type, 0);
  b.write(user, 44, 'latin1');
  return b;
}

describe('host uptime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-uptime-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const at = new Date(2024, 0, 1, 8, 32, 11);

  it("formats procps' uptime line: days, hours or minutes, users, load", () => {
    const facts = { now: at, users: 12, load: [0.2, 0.12, 0.14] as [number, number, number] };
    assert.equal(
      uptimeText({ ...facts, upSeconds: ((93 * 24 + 18) * 60 + 25) * 60 + 59 }),
      ' 08:32:11 up 93 days, 18:25, 12 users,  load average: 0.20, 0.12, 0.14',
    );
    assert.equal(
      uptimeText({ ...facts, upSeconds: 86400 + 420, users: 1 }),
      ' 08:32:11 up 1 day, 7 min,  1 user,  load average: 0.20, 0.12, 0.14',
    );
    assert.equal(
      uptimeText({ ...facts, upSeconds: 2 * 3600 + 58 * 60, users: 0 }),
      ' 08:32:11 up  2:58,  0 users,  load average: 0.20, 0.12, 0.14',
    );
  });

  it('counts logged-in users in utmp records', () => {
    const utmp = Buffer.concat([
      utmpRecord(2, 'reboot'),
      utmpRecord(7, 'alice'),
      utmpRecord(7, ''),
      utmpRecord(7, 'bob'),
      Buffer.alloc(10),
    ]);
    assert.equal(countUtmpUsers(utmp), 2);
  });

  it('reads /proc/uptime, /proc/loadavg and utmp (absent: no users)', async () => {
    const paths = {
      uptime: join(dir, 'uptime'),
      loadavg: join(dir, 'loadavg'),
      utmp: join(dir, 'utmp'),
    };
    writeFileSync(paths.uptime, '10698.93 4051.91\n');
    writeFileSync(paths.loadavg, '2.19 2.03 2.33 2/160 24040\n');
    assert.equal(
      await readHostUptime(paths, at),
      ' 08:32:11 up  2:58,  0 users,  load average: 2.19, 2.03, 2.33',
    );
    writeFileSync(paths.utmp, utmpRecord(7, 'root'));
    assert.match(await readHostUptime(paths, at), / 1 user, /);
    assert.match(await readHostUptime(), /^ \d\d:\d\d:\d\d up .* load average: /);
  });
});
