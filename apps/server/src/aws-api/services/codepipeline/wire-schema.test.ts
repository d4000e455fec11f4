import { describe, expect, it } from 'vitest';
import { AwsError } from '../../aws-error.ts';
import {
  boolean,
  document,
  enumOf,
  integer,
  list,
  map,
  readRequest,
  required,
  string,
  structure,
  timestamp,
  type Shape,
} from './wire-schema.ts';

function refusal(shape: Shape<unknown>, raw: unknown): { code: string; message: string } {
  try {
    readRequest(shape, raw);
  } catch (error) {
    if (error instanceof AwsError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('accepted');
}

const name = string({ min: 1, max: 5, pattern: '[a-z]+' });

describe('wire schema', () => {
  it('reads a valid structure, absent and null members as undefined', () => {
    const shape = structure({ name: required(name), n: integer(), flag: boolean, at: timestamp });
    expect(readRequest(shape, { name: 'ab', n: 3, flag: null, at: 1.5, extra: [1] })).toEqual({
      name: 'ab',
      n: 3,
      flag: undefined,
      at: 1500,
    });
  });

  it('lists every problem at once, with its path, in AWS words', () => {
    const shape = structure({
      name: required(name),
      mode: enumOf(['A', 'B']),
      inner: structure({ items: list(integer({ max: 9 }), { max: 2 }) }),
    });
    expect(refusal(shape, { mode: 'C', inner: { items: [1, 10, null] } })).toEqual({
      code: 'ValidationException',
      message:
        '5 validation errors detected: ' +
        "Value null at 'name' failed to satisfy constraint: Member must not be null; " +
        "Value 'C' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [A, B]; " +
        "Value '[…3 items]' at 'inner.items' failed to satisfy constraint: Member must have length less than or equal to 2; " +
        "Value '10' at 'inner.items[1]' failed to satisfy constraint: Member must have value less than or equal to 9; " +
        "Value null at 'inner.items[2]' failed to satisfy constraint: Member must not be null",
    });
  });

  it('counts an empty string as present: its length is what fails', () => {
    expect(refusal(structure({ name: required(name) }), { name: '' }).message).toBe(
      "2 validation errors detected: Value '' at 'name' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 1; ' +
        "Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+",
    );
  });

  it('applies patterns to the whole value, not a part of it', () => {
    const shape = structure({ name });
    expect(readRequest(shape, { name: 'abc' })).toEqual({ name: 'abc' });
    expect(refusal(shape, { name: 'ab-c' }).message).toContain('regular expression pattern');
    expect(refusal(shape, { name: 'ab\n' }).message).toContain('regular expression pattern');
  });

  it.each([
    ['a string', string(), 5],
    ['a 32-bit integer', integer(), '5'],
    ['a 32-bit integer', integer(), 1.5],
    ['a 32-bit integer', integer(), 2 ** 31],
    ['a boolean', boolean, 'true'],
    ['a timestamp in epoch seconds', timestamp, '2026-01-01'],
    ['a timestamp in epoch seconds', timestamp, 1e300],
    ['a list', list(string()), { a: 1 }],
    ['a map', map(string(), string()), ['a']],
    ['a structure', structure({}), 'x'],
    ['a structure', document, [1]],
  ])('refuses a value of the wrong type: must be %s', (expected, shape, value) => {
    const { code, message } = refusal(structure({ v: shape }), { v: value });
    expect(code).toBe('ValidationException');
    expect(message).toContain(`at 'v' failed to satisfy constraint: Member must be ${expected}`);
  });

  it('checks map keys, values and size, keeping keys such as __proto__ as plain keys', () => {
    const shape = structure({ m: map(string({ max: 9 }), string({ min: 1 }), { max: 2 }) });
    const parsed: unknown = JSON.parse('{"m":{"__proto__":"x"}}');
    expect(Object.keys((readRequest(shape, parsed) as { m: object }).m)).toEqual(['__proto__']);
    expect(refusal(shape, { m: { 'much-too-long': 'x', b: '', c: 'z' } }).message).toBe(
      '3 validation errors detected: ' +
        "Value '{…}' at 'm' failed to satisfy constraint: Member must have length less than or equal to 2; " +
        "Value 'much-too-long' at 'm (key)' failed to satisfy constraint: Member must have length less than or equal to 9; " +
        "Value '' at 'm.b' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('quotes at most 64 characters of a value and spells out at most 50 problems', () => {
    const shape = structure({ items: list(string({ max: 1 })) });
    const { message } = refusal(shape, {
      items: Array.from({ length: 60 }, () => 'x'.repeat(1000)),
    });
    expect(message).toMatch(/^60 validation errors detected: /);
    expect(message).toContain(`Value '${'x'.repeat(64)}…' at 'items[0]'`);
    expect(message).not.toContain("'items[50]'");
    expect(message).toMatch(/; and 10 more$/);
  });

  it('answers SerializationException for a body that is not a JSON object', () => {
    expect(refusal(structure({}), [1]).code).toBe('SerializationException');
  });
});
