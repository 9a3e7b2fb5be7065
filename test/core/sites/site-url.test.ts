import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../core/common/errors.ts';
import { isLoopbackHost, normaliseSiteUrl } from '../../../core/sites/site-url.ts';

function failure(run: () => unknown): LatchkeyError {
  try {
    run();
  } catch (error) {
    if (error instanceof LatchkeyError) return error;
    throw error;
  }
  throw new Error('expected a LatchkeyError, but nothing was thrown');
}

describe('normaliseSiteUrl', () => {
  const accepted: { input: string; origin: string }[] = [
    { input: 'https://studio.example.com', origin: 'https://studio.example.com' },
    { input: 'https://studio.example.com/', origin: 'https://studio.example.com' },
    { input: 'https://studio.example.com:443', origin: 'https://studio.example.com' },
    { input: 'HTTPS://Studio.Example.COM:443/', origin: 'https://studio.example.com' },
    { input: 'Site.Example.com/', origin: 'https://site.example.com' },
    { input: 'site.example.com', origin: 'https://site.example.com' },
    { input: 'studio.example.com:8443', origin: 'https://studio.example.com:8443' },
    { input: 'https://studio.example.com:8443/', origin: 'https://studio.example.com:8443' },
    { input: '  https://studio.example.com  ', origin: 'https://studio.example.com' },
    { input: 'http://localhost', origin: 'http://localhost' },
    { input: 'http://localhost:80', origin: 'http://localhost' },
    { input: 'http://localhost:3000', origin: 'http://localhost:3000' },
    { input: 'http://LOCALHOST:3000', origin: 'http://localhost:3000' },
    { input: 'http://a.localhost', origin: 'http://a.localhost' },
    { input: 'http://studio.localhost:8080/', origin: 'http://studio.localhost:8080' },
    { input: 'http://127.0.0.1:8080', origin: 'http://127.0.0.1:8080' },
    { input: 'http://127.0.0.2', origin: 'http://127.0.0.2' },
    { input: 'http://127.1', origin: 'http://127.0.0.1' },
    { input: 'http://[::1]:8080', origin: 'http://[::1]:8080' },
    { input: 'localhost:3000', origin: 'https://localhost:3000' },
    { input: '127.0.0.1:8080', origin: 'https://127.0.0.1:8080' },
    { input: 'https://[2001:db8::1]', origin: 'https://[2001:db8::1]' },
    { input: 'https://bücher.example', origin: 'https://xn--bcher-kva.example' },
    { input: 'https://xn--bcher-kva.example', origin: 'https://xn--bcher-kva.example' },
    { input: 'https://intra_net.example.com', origin: 'https://intra_net.example.com' },
  ];
  for (const { input, origin } of accepted) {
    it(`normalises ${JSON.stringify(input)} to ${origin}`, () => {
      expect(normaliseSiteUrl(input)).toBe(origin);
    });
  }

  it('treats case, a trailing slash and the default port as one site', () => {
    const spellings = ['Site.Example.com/', 'https://site.example.com:443', 'https://site.example.com', 'site.example.com'];
    expect(new Set(spellings.map((s) => normaliseSiteUrl(s)))).toEqual(new Set(['https://site.example.com']));
  });

  it('treats another port on the same host as another site', () => {
    expect(normaliseSiteUrl('https://site.example.com:8443')).not.toBe(normaliseSiteUrl('https://site.example.com'));
  });

  const refused: { input: string; message: string; why: string }[] = [
    { input: '', message: 'is empty', why: 'empty' },
    { input: '   ', message: 'is empty', why: 'blank' },
    { input: 'https://exa mple.com', message: 'spaces or control characters', why: 'a space inside' },
    { input: 'https://studio.example.com/\tx', message: 'spaces or control characters', why: 'a tab inside' },
    { input: 'https://exa%20mple.com', message: 'not a valid URL', why: 'not a URL' },
    { input: 'https://256.1.1.1', message: 'not a valid URL', why: 'an impossible IPv4 address' },
    { input: 'https://studio.example.com:99999', message: 'not a valid URL', why: 'a port out of range' },
    { input: 'https://', message: 'has no host', why: 'no host at all' },
    { input: 'https://:8443', message: 'has no host', why: 'only a port' },
    { input: 'http://?x=1', message: 'has no host', why: 'only a query' },
    { input: '/studio', message: 'has no host', why: 'only a path' },
    { input: ':8443', message: 'has no host', why: 'a bare port' },
    { input: 'ftp://studio.example.com', message: 'scheme "ftp"', why: 'ftp' },
    { input: 'file:///etc/passwd', message: 'scheme "file"', why: 'file' },
    { input: 'mailto:someone@example.com', message: 'scheme "mailto"', why: 'mailto' },
    { input: 'javascript:alert(1)', message: 'scheme "javascript"', why: 'javascript' },
    { input: 'wss://studio.example.com', message: 'scheme "wss"', why: 'websocket' },
    { input: 'http://example.com', message: 'not a loopback host', why: 'http to a public host' },
    { input: 'http://localhost.evil.com', message: 'not a loopback host', why: 'localhost as a first label only' },
    { input: 'http://127.0.0.1.nip.io', message: 'not a loopback host', why: 'a loopback address as a subdomain' },
    { input: 'http://[::ffff:127.0.0.1]', message: 'not a loopback host', why: 'an IPv4-mapped address' },
    { input: 'http://10.0.0.1', message: 'not a loopback host', why: 'a private address' },
    { input: 'https://user:secret@studio.example.com', message: 'user name or password', why: 'user and password' },
    { input: 'https://user@studio.example.com', message: 'user name or password', why: 'a user only' },
    { input: 'https://studio.example.com@evil.com', message: 'user name or password', why: 'the look-alike userinfo trick' },
    { input: 'https://studio.example.com/?product=x', message: 'has a query', why: 'a query' },
    { input: 'https://studio.example.com?', message: 'has a query', why: 'an empty query' },
    { input: 'https://studio.example.com/#top', message: 'has a fragment', why: 'a fragment' },
    { input: 'https://studio.example.com#', message: 'has a fragment', why: 'an empty fragment' },
    { input: 'https://studio.example.com/shotgrid', message: 'has a path ("/shotgrid")', why: 'a path' },
    { input: 'https://studio.example.com/auth/landing', message: 'has a path', why: 'a deeper path' },
    { input: 'https://example.com.', message: 'ends with a dot', why: 'a trailing dot' },
    { input: 'example.com.:8443', message: 'ends with a dot', why: 'a trailing dot before a port' },
    { input: 'https://studio..example.com', message: 'empty label', why: 'two dots' },
    { input: 'https://.example.com', message: 'empty label', why: 'a leading dot' },
    { input: 'https://*.example.com', message: 'not allowed in a host name', why: 'a wildcard' },
    { input: 'https://studio.example.com:0', message: 'has port 0', why: 'port 0' },
    { input: 'notaurl', message: 'is not a full host name', why: 'a single word, most likely a typo' },
    { input: 'https://shotgrid', message: 'is not a full host name', why: 'a host without a dot' },
    { input: 'shotgrid:8443', message: 'is not a full host name', why: 'a host without a dot, with a port' },
  ];
  for (const { input, message, why } of refused) {
    it(`refuses ${JSON.stringify(input)} (${why})`, () => {
      const error = failure(() => normaliseSiteUrl(input));
      expect(error.code).toBe('invalid_site_url');
      expect(error.message).toContain(message);
      expect(error.hint).toBeTruthy();
    });
  }

  it('says how to write a single-word host in full', () => {
    expect(failure(() => normaliseSiteUrl('notaurl')).hint).toBe('Give the site\'s full address, e.g. https://notaurl.example.com (a host name with a dot, localhost, or an IP address).');
  });

  it('keeps a base path, without its trailing slash, when paths are allowed', () => {
    expect(normaliseSiteUrl('https://Studio.example.com:443/ShotGrid/', { allowPath: true })).toBe('https://studio.example.com/ShotGrid');
    expect(normaliseSiteUrl('https://studio.example.com/', { allowPath: true })).toBe('https://studio.example.com');
  });

  it('still refuses a query when paths are allowed', () => {
    expect(failure(() => normaliseSiteUrl('https://studio.example.com/a?b', { allowPath: true })).code).toBe('invalid_site_url');
  });
});

describe('isLoopbackHost', () => {
  const cases: { host: string; loopback: boolean }[] = [
    { host: 'localhost', loopback: true },
    { host: 'LocalHost', loopback: true },
    { host: 'a.localhost', loopback: true },
    { host: 'a.b.localhost', loopback: true },
    { host: '127.0.0.1', loopback: true },
    { host: '127.255.255.254', loopback: true },
    { host: '127.1', loopback: true },
    { host: '[::1]', loopback: true },
    { host: '::1', loopback: true },
    { host: 'localhost.', loopback: false },
    { host: 'localhost.evil.com', loopback: false },
    { host: 'evillocalhost', loopback: false },
    { host: '127.0.0.1.nip.io', loopback: false },
    { host: '128.0.0.1', loopback: false },
    { host: '0.0.0.0', loopback: false },
    { host: '[::]', loopback: false },
    { host: '[::ffff:127.0.0.1]', loopback: false },
    { host: 'evil.com@localhost', loopback: false },
    { host: 'localhost:80', loopback: false },
    { host: 'localhost/x', loopback: false },
    { host: '', loopback: false },
  ];
  for (const { host, loopback } of cases) {
    it(`says ${JSON.stringify(host)} is ${loopback ? '' : 'not '}loopback`, () => {
      expect(isLoopbackHost(host)).toBe(loopback);
    });
  }
});
