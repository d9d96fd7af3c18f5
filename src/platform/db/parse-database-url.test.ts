import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../common/errors.js';
import { parseDatabaseUrl } from './parse-database-url.js';

test('sqlite URLs follow SQLAlchemy: three slashes relative, four absolute', () => {
  assert.deepEqual(parseDatabaseUrl('sqlite:///data/stratus.db'), {
    dialect: 'sqlite',
    filename: 'data/stratus.db',
    safeUrl: 'sqlite:///data/stratus.db',
  });
  const abs = parseDatabaseUrl('sqlite:////var/lib/stratus/stratus.db');
  assert.equal(abs.dialect === 'sqlite' && abs.filename, '/var/lib/stratus/stratus.db');
});

test('sqlite://, sqlite:/// and sqlite:///:memory: are in-memory databases', () => {
  for (const url of ['sqlite://', 'sqlite:///', 'sqlite:///:memory:']) {
    const t = parseDatabaseUrl(url);
    assert.equal(t.dialect === 'sqlite' && t.filename, ':memory:', url);
  }
});

test('postgresql URLs drop the SQLAlchemy driver and mask the password', () => {
  const t = parseDatabaseUrl('postgresql+psycopg2://nova:s3cr%40t@db.example:5433/nova');
  assert.equal(t.dialect, 'postgres');
  assert.ok(t.dialect === 'postgres');
  assert.equal(t.connectionString, 'postgresql://nova:s3cr%40t@db.example:5433/nova');
  assert.equal(t.database, 'nova');
  assert.equal(t.safeUrl, 'postgresql://nova:***@db.example:5433/nova');
});

test('a postgresql unix socket is given as ?host=', () => {
  const t = parseDatabaseUrl('postgresql://nova:pw@/nova?host=/run/postgresql');
  assert.ok(t.dialect === 'postgres');
  assert.equal(t.database, 'nova');
  assert.equal(t.safeUrl, 'postgresql://nova:***@/nova?host=/run/postgresql');
});

test('bad URLs throw ConfigErrors without leaking the password', () => {
  const bad = [
    '',
    'stratus.db',
    'mysql+pymysql://nova:hunter2@db/nova',
    'sqlite://host/file.db',
    'sqlite:///dir/',
    'sqlite:///x.db?mode=ro',
    'postgresql://nova:hunter2@db:notaport/nova',
    'postgresql://nova:hunter2@db:5432',
    'postgresql://nova:hunter2@db:5432/a/b',
    'postgresql://nova:hunter2@/nova',
  ];
  for (const url of bad) {
    assert.throws(
      () => parseDatabaseUrl(url),
      (err: unknown) =>
        err instanceof ConfigError && !err.message.includes('hunter2') && err.message.length > 20,
      url,
    );
  }
});
