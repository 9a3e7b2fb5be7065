import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../core/common/errors.ts';
import { jsonDepth, maxJsonDepth, parseJsonObject } from '../../../core/agent/safe-json.ts';

describe('jsonDepth', () => {
  it.each([
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['"[[[["', 0],
    ['{"a":"\\"[[[["}', 1],
    ['{"a":"\\\\"}', 1],
    ['[' .repeat(10_000), 10_000],
  ])('measures %s as %i', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });
});

describe('parseJsonObject', () => {
  it('returns the object', () => {
    expect(parseJsonObject('{"a":{"b":[1,"x"]}}')).toEqual({ a: { b: [1, 'x'] } });
  });

  it('refuses depth past the limit before parsing', () => {
    const text = '{"a":'.repeat(maxJsonDepth) + '1' + '}'.repeat(maxJsonDepth);
    expect(parseJsonObject(text)).toBeTypeOf('object');
    expect(() => parseJsonObject('[' + text + ']')).toThrow(LatchkeyError);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s at any level', (key) => {
    expect(() => parseJsonObject(`{"${key}":{}}`)).toThrow(/may not contain the key/);
    expect(() => parseJsonObject(`{"a":[{"${key}":1}]}`)).toThrow(/may not contain the key/);
  });

  it('never quotes the body in its message', () => {
    try {
      parseJsonObject('{"secret-value": ');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LatchkeyError);
      expect((error as LatchkeyError).message).not.toContain('secret-value');
      expect((error as LatchkeyError).code).toBe('bad_request');
    }
  });
});
