import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiVersion } from './api-version.js';
import { negotiateVersion, requestedVersion } from './negotiate.js';
import { Versioned } from './versioned.js';

const min = ApiVersion.of('2.1');
const max = ApiVersion.of('2.90');

describe('microversion negotiation', () => {
  it('prefers the compute entry of OpenStack-API-Version over the legacy header', () => {
    assert.equal(
      requestedVersion({
        'openstack-api-version': 'image 2.5, compute 2.10',
        'x-openstack-nova-api-version': '2.3',
      }),
      '2.10',
    );
    assert.equal(requestedVersion({ 'x-openstack-nova-api-version': '2.3' }), '2.3');
    assert.equal(requestedVersion({ 'openstack-api-version': 'volume 3.0' }), undefined);
  });

  it('gives the minimum by default and the maximum for latest', () => {
    assert.equal(negotiateVersion({}, min, max).toString(), '2.1');
    assert.equal(
      negotiateVersion({ 'openstack-api-version': 'compute LATEST' }, min, max).toString(),
      '2.90',
    );
  });

  it('compares numerically, not as text', () => {
    assert.ok(ApiVersion.of('2.10').atLeast('2.9'));
    assert.ok(!ApiVersion.of('2.9').atLeast('2.10'));
    assert.throws(
      () => negotiateVersion({ 'openstack-api-version': 'compute 2.91' }, min, max),
      /Version 2.91 is not supported by the API. Minimum is 2.1 and maximum is 2.90./,
    );
  });
});

describe('Versioned', () => {
  it('picks the value whose range holds the version', () => {
    const v = new Versioned([
      [['2.1', '2.54'], 'a'],
      [['2.55'], 'b'],
    ]);
    assert.equal(v.at(ApiVersion.of('2.54')), 'a');
    assert.equal(v.at(ApiVersion.of('2.55')), 'b');
    assert.equal(v.at(ApiVersion.of('2.0')), undefined);
  });

  it('refuses overlapping ranges', () => {
    assert.throws(
      () =>
        new Versioned([
          [['2.1', '2.55'], 'a'],
          [['2.55'], 'b'],
        ]),
      /overlapping/,
    );
  });
});
