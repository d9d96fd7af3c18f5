import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../common/errors.js';
import { loadConfig } from './load-config.js';
import { bool, choice, int, list, port, str } from './options.js';

const schema = {
  DEFAULT: {
    state_path: str('/var/lib/stratus', 'state'),
    debug: bool(false, 'debug'),
    report_interval: int(10, 'interval', { min: 1 }),
  },
  database: { connection: str('sqlite:///$state_path/stratus.db', 'db url') },
  api: { auth_strategy: choice(['keystone', 'noauth2'] as const, 'keystone', 'auth') },
  filter_scheduler: { enabled_filters: list(['ComputeFilter'], 'filters') },
  vnc: { novncproxy_port: port(6080, 'port') },
};

const dir = mkdtempSync(join(tmpdir(), 'stratus-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string): string {
  const path = join(dir, `f${n++}.conf`);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('gives defaults, with $option substitution', () => {
    const c = loadConfig(schema);
    assert.equal(c.DEFAULT.debug, false);
    assert.equal(c.database.connection, 'sqlite:////var/lib/stratus/stratus.db');
    assert.deepEqual(c.filter_scheduler.enabled_filters, ['ComputeFilter']);
  });

  it('reads typed values; later files override earlier ones', () => {
    const a = file(
      '[DEFAULT]\ndebug = true\nreport_interval = 5\n[api]\nauth_strategy = noauth2\n',
    );
    const b = file(
      '[DEFAULT]\n# a comment\nreport_interval = 7\n[filter_scheduler]\nenabled_filters = A, B,,C\n',
    );
    const c = loadConfig(schema, { files: [a, b] });
    assert.equal(c.DEFAULT.debug, true);
    assert.equal(c.DEFAULT.report_interval, 7);
    assert.equal(c.api.auth_strategy, 'noauth2');
    assert.deepEqual(c.filter_scheduler.enabled_filters, ['A', 'B', 'C']);
  });

  it('folds indented continuation lines into the value', () => {
    const f = file('[filter_scheduler]\nenabled_filters = A,\n    B\n');
    assert.deepEqual(loadConfig(schema, { files: [f] }).filter_scheduler.enabled_filters, [
      'A',
      'B',
    ]);
  });

  it('lets OS_<SECTION>__<KEY> variables override files, and flags override both', () => {
    const f = file('[DEFAULT]\nstate_path = /from/file\n[vnc]\nnovncproxy_port = 7000\n');
    const c = loadConfig(schema, {
      files: [f],
      env: { OS_VNC__NOVNCPROXY_PORT: '7001', OS_AUTH_URL: 'ignored: not an option variable' },
      overrides: { DEFAULT: { state_path: '/from/flag' } },
    });
    assert.equal(c.vnc.novncproxy_port, 7001);
    assert.equal(c.database.connection, 'sqlite:////from/flag/stratus.db');
  });

  it('names file, line and key of a misspelled key, with a suggestion', () => {
    const f = file('[DEFAULT]\ndebug = true\n\n[database]\nconection = sqlite://\n');
    assert.throws(
      () => loadConfig(schema, { files: [f] }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message.includes(`${f}:5`) &&
        err.message.includes("'conection'") &&
        err.message.includes("did you mean 'connection'"),
    );
  });

  it('rejects an unknown section with its line', () => {
    const f = file('[DEFAULT]\n[databse]\nconnection = x\n');
    assert.throws(
      () => loadConfig(schema, { files: [f] }),
      /:2: unknown section \[databse\].*did you mean 'database'/,
    );
  });

  it('rejects bad values naming where they came from', () => {
    const f = file('[DEFAULT]\nreport_interval = soon\n');
    assert.throws(
      () => loadConfig(schema, { files: [f] }),
      /:2: \[DEFAULT\] report_interval: 'soon' is not an integer/,
    );
    const g = file('[DEFAULT]\nreport_interval = 0\n');
    assert.throws(() => loadConfig(schema, { files: [g] }), /below the minimum 1/);
    const h = file('[api]\nauth_strategy = magic\n');
    assert.throws(() => loadConfig(schema, { files: [h] }), /not one of: keystone, noauth2/);
    assert.throws(
      () => loadConfig(schema, { env: { OS_DEFAULT__DEBUG: 'maybe' } }),
      /environment variable OS_DEFAULT__DEBUG: \[DEFAULT\] debug: 'maybe' is not a boolean/,
    );
    assert.throws(
      () => loadConfig(schema, { env: { OS_DEFAULT__NOPE: '1' } }),
      /no option \[DEFAULT\] nope/,
    );
  });

  it('rejects malformed lines and keys outside a section', () => {
    assert.throws(
      () => loadConfig(schema, { files: [file('debug = true\n')] }),
      /:1: key 'debug' appears before any \[section\]/,
    );
    assert.throws(
      () => loadConfig(schema, { files: [file('[DEFAULT\n')] }),
      /:1: malformed section header/,
    );
    assert.throws(
      () => loadConfig(schema, { files: [join(dir, 'missing.conf')] }),
      /cannot read config file/,
    );
  });
});
