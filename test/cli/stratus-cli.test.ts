import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { startStratus } from '../harness/stratus-process.js';
import { serviceModules } from '../../src/cmd/service-modules.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'stratus.js');
const dir = mkdtempSync(join(tmpdir(), 'stratus-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function stratus(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, STRATUS_FROM_SOURCE: '1' } },
      (err, stdout, stderr) => {
        res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('stratus CLI', () => {
  it('fails validate-config on a misspelled key with file, line and key, exit code 2', async () => {
    const conf = join(dir, 'bad.conf');
    writeFileSync(conf, '[DEFAULT]\ndebug = true\n\n[database]\nconection = sqlite://\n');
    const r = await stratus(['manage', 'validate-config', '--config-file', conf]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${conf}:5: unknown option 'conection' in \\[database\\]`));
  });

  it('accepts a valid config, with later files overriding earlier ones', async () => {
    const a = join(dir, 'a.conf');
    const b = join(dir, 'b.conf');
    writeFileSync(a, '[DEFAULT]\nreport_interval = x\n');
    writeFileSync(b, '[DEFAULT]\nreport_interval = 5\n');
    const r = await stratus(['manage', 'validate-config', '--config-file', a, '--config-file', b]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /configuration is valid/);
  });

  it('syncs every migration set of the database, then reports it up to date', async () => {
    const data = join(dir, 'sync');
    const first = await stratus(['manage', 'db', 'sync', '--data-dir', data]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /services: applied 0001_services/);
    const again = await stratus(['manage', 'db', 'sync', '--data-dir', data]);
    assert.match(again.stdout, /services: up to date/);
    const version = await stratus(['manage', 'db', 'version', '--data-dir', data]);
    assert.match(version.stdout, /services: at 0001_services, 0 pending/);
  });

  it('lists only commands that exist in --help', async () => {
    const r = await stratus(['--help']);
    assert.match(r.stdout, /all \[options\]/);
    assert.match(r.stdout, /manage/);
    for (const m of serviceModules()) assert.match(r.stdout, new RegExp(`\\n  ${m.name} `));
    // Services that do not exist yet are not offered.
    assert.doesNotMatch(r.stdout, /novncproxy|metadata/);
  });

  it('runs `stratus all` with /metrics on every API until SIGTERM, then exits 0', async () => {
    const s = await startStratus();
    assert.match(s.output(), /stratus-all started/);
    // Every API listener serves Prometheus metrics: request latency, and bus calls (heartbeats).
    for (const name of Object.keys(s.ports) as (keyof typeof s.ports)[]) {
      await fetch(`${s.url(name)}/`);
      const res = await fetch(`${s.url(name)}/metrics`);
      assert.equal(res.status, 200, `${name} /metrics`);
      const text = await res.text();
      assert.match(
        text,
        /stratus_http_request_duration_seconds_count\{service="[a-z]+",method="GET"/,
        name,
      );
      assert.match(text, /stratus_bus_call_duration_seconds/, name);
    }
    assert.equal(await s.stop(), 0);
  });
});
