import { describe, expect, it } from 'vitest';
import { bearerToken, createAgentToken, tokenMatches } from '../../../core/agent/agent-token.ts';

describe('tokenMatches', () => {
  const token = createAgentToken();

  it('accepts the token and nothing else: other values, prefixes, extensions, other lengths', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    for (const other of ['', token.slice(0, 42), `${token}x`, createAgentToken(), token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase()]) {
      expect(tokenMatches(token, other)).toBe(false);
    }
  });

  it('refuses a value of the same length in characters but not in bytes', () => {
    const sameChars = `${token.slice(0, 42)}é`;
    expect(sameChars.length).toBe(token.length);
    expect(tokenMatches(token, sameChars)).toBe(false);
  });

  it('compares against each agent token it is given (one process may hold several)', () => {
    const other = createAgentToken();
    expect([tokenMatches(token, token), tokenMatches(other, other), tokenMatches(other, token)]).toEqual([true, true, false]);
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header in any case of the scheme, and nothing else', () => {
    expect(bearerToken('Bearer abc-_.~+/=')).toBe('abc-_.~+/=');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect([bearerToken(undefined), bearerToken('Basic abc'), bearerToken('Bearer'), bearerToken('Bearer a b')]).toEqual([null, null, null, null]);
  });
});
