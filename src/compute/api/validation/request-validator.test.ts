import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestValidator } from './request-validator.js';

const schema = {
  type: 'object',
  properties: {
    thing: {
      type: 'object',
      properties: {
        name: { type: 'string', format: 'name', minLength: 1, maxLength: 255 },
        size: { type: ['integer', 'string'], pattern: '^[0-9]+$', minimum: 1, maximum: 10 },
      },
      required: ['name'],
      additionalProperties: false,
    },
  },
  required: ['thing'],
  additionalProperties: false,
};

describe('request validation', () => {
  const v = new RequestValidator().compile(schema);
  const message = (body: unknown, legacy = false): string => {
    try {
      v.body(body, legacy);
      return 'valid';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('bounds numeric strings as numbers, as upstream', () => {
    assert.equal(message({ thing: { name: 'a', size: '5' } }), 'valid');
    assert.equal(
      message({ thing: { name: 'a', size: '11' } }),
      'Invalid input for field/attribute size. Value: 11. 11 is greater than the maximum of 10',
    );
  });

  it('words failures as Python jsonschema does', () => {
    assert.equal(message({}), "'thing' is a required property");
    assert.equal(
      message({ thing: { name: 'a', size: true } }),
      "Invalid input for field/attribute size. Value: True. True is not of type 'integer', 'string'",
    );
    assert.equal(
      message({ thing: { name: 'a', x: 1, y: 2 } }),
      "Invalid input for field/attribute thing. Value: {'name': 'a', 'x': 1, 'y': 2}. Additional properties are not allowed ('x', 'y' were unexpected)",
    );
    assert.equal(
      message({ thing: { name: 'tab\tname' } }),
      "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace.",
    );
  });

  it('strips unknown properties on the legacy API instead', () => {
    const body = { thing: { name: 'a', x: 1 } };
    assert.equal(message(body, true), 'valid');
    assert.deepEqual(body, { thing: { name: 'a' } });
  });

  it('drops query parameters an open query schema does not name', () => {
    const q = new RequestValidator().compile({
      type: 'object',
      properties: { limit: { type: 'array', items: { type: 'string' } } },
      additionalProperties: true,
    });
    assert.deepEqual(q.query({ limit: ['1'], junk: ['x'] }, false), { limit: ['1'] });
  });
});
