import { describe, expect, it } from 'vitest';
import { sessionUrl } from '../../../core/sessions/session-url.ts';

const key = { kind: 'key', name: 'SessionKey', value: 'a+b/c=d e' } as const;

describe('sessionUrl', () => {
  it('adds a key credential to the query under its name, form-encoded, and leaves the given URL alone', () => {
    const given = new URL('http://catalyst.localhost:8080/api/whoami');
    const sent = sessionUrl(given, key);
    expect(sent.href).toBe('http://catalyst.localhost:8080/api/whoami?SessionKey=a%2Bb%2Fc%3Dd+e');
    expect(sent.searchParams.get('SessionKey')).toBe(key.value);
    expect(given.href).toBe('http://catalyst.localhost:8080/api/whoami');
  });

  it("appends to the caller's query as written, keeping its encoding and fragment", () => {
    const sent = sessionUrl(new URL('http://catalyst.localhost/api/find?q=a%20b~&page=2#top'), key);
    expect(sent.href).toBe('http://catalyst.localhost/api/find?q=a%20b~&page=2&SessionKey=a%2Bb%2Fc%3Dd+e#top');
  });

  it('treats a bare "?" as an empty query', () => {
    expect(sessionUrl(new URL('http://catalyst.localhost/api/whoami?'), key).search).toBe('?SessionKey=a%2Bb%2Fc%3Dd+e');
  });

  it('keeps a parameter of that name that the caller gave', () => {
    expect(sessionUrl(new URL('http://catalyst.localhost/api/whoami?SessionKey=mine'), key).href).toBe('http://catalyst.localhost/api/whoami?SessionKey=mine');
  });

  it('uses the name of the credential, which is the profile’s sessionParam', () => {
    expect(sessionUrl(new URL('http://catalyst.localhost/x'), { kind: 'key', name: 'sid', value: 'v' }).search).toBe('?sid=v');
  });

  it.each(['cookie', 'bearer'] as const)('leaves the URL as it is for a %s credential, which travels in a header', (kind) => {
    const given = new URL('http://studio.localhost/api/whoami?x=1');
    expect(sessionUrl(given, { kind, name: 'SessionKey', value: 'v' })).toBe(given);
  });
});
