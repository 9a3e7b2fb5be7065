import { describe, expect, it } from 'vitest';
import { isAtEndpoint } from '../../../core/login/endpoint-match.ts';

const endpoint = 'https://rp.example.com/auth/callback';

describe('isAtEndpoint', () => {
  it.each([
    'https://rp.example.com/auth/callback',
    'https://rp.example.com/auth/callback?code=x&state=y',
    'https://rp.example.com/auth/callback#frag',
    'https://RP.example.com:443/auth/callback?code=x',
    'https://rp.example.com/auth/./callback?code=x',
  ])('matches %s', (candidate) => {
    expect(isAtEndpoint(candidate, endpoint)).toBe(true);
  });

  it.each([
    'https://rp.example.com.evil.com/auth/callback?code=x',
    'https://rp.example.com@evil.com/auth/callback?code=x',
    'https://evil.com/?next=https://rp.example.com/auth/callback',
    'https://evil.com/auth/callback#https://rp.example.com/auth/callback',
    'http://rp.example.com/auth/callback',
    'https://rp.example.com:8443/auth/callback',
    'https://rp.example.com/auth/callback/',
    'https://rp.example.com/auth/callbackx',
    'https://rp.example.com/Auth/Callback',
    'https://rp.example.com/auth%2Fcallback',
    'blob:https://rp.example.com/auth/callback',
    'view-source:https://rp.example.com/auth/callback',
    'https://rp.example.com/auth/call\tback',
    'not a url',
  ])('does not match %s', (candidate) => {
    expect(isAtEndpoint(candidate, endpoint)).toBe(false);
  });

  it('matches a loopback redirect URI on its own port only', () => {
    expect(isAtEndpoint('http://127.0.0.1/latchkey/callback?code=x', 'http://127.0.0.1/latchkey/callback')).toBe(true);
    expect(isAtEndpoint('http://127.0.0.1:8080/latchkey/callback?code=x', 'http://127.0.0.1/latchkey/callback')).toBe(false);
    expect(isAtEndpoint('http://localhost/latchkey/callback?code=x', 'http://127.0.0.1/latchkey/callback')).toBe(false);
  });
});
