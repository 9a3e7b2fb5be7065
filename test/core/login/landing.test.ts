import { describe, expect, it } from 'vitest';
import { isLandingUrl, sameOrigin } from '../../../core/login/landing.ts';

const site = { url: 'https://studio.example.com' };
const landingPath = '/auth/landing';

describe('isLandingUrl', () => {
  const cases: { candidate: string; landing: boolean; why: string }[] = [
    // The landing page, as the browser may report it.
    { candidate: 'https://studio.example.com/auth/landing', landing: true, why: 'the landing page' },
    { candidate: 'https://studio.example.com/auth/landing?product=latchkey', landing: true, why: 'with a query' },
    { candidate: 'https://studio.example.com/auth/landing?', landing: true, why: 'with an empty query' },
    { candidate: 'https://studio.example.com/auth/landing#done', landing: true, why: 'with a fragment' },
    { candidate: 'https://studio.example.com:443/auth/landing', landing: true, why: 'with the default port written out' },
    { candidate: 'HTTPS://STUDIO.EXAMPLE.COM/auth/landing', landing: true, why: 'with an upper-case scheme and host (same host)' },
    { candidate: 'https://studio.example.com/auth/./landing', landing: true, why: 'with a dot segment the browser resolves' },
    { candidate: 'https://studio.example.com/auth/x/../landing', landing: true, why: 'with a dot-dot segment the browser resolves' },
    { candidate: 'https://studio.example.com/auth/%2e/landing', landing: true, why: 'with an escaped dot segment the browser resolves' },
    { candidate: 'https://studio.example.com\\auth\\landing', landing: true, why: 'with backslashes the browser reads as slashes, on the right host' },
    // Other hosts.
    { candidate: 'https://evil.com/auth/landing', landing: false, why: 'another host' },
    { candidate: 'https://studio.example.com.evil.com/auth/landing', landing: false, why: 'the site host as a subdomain of another' },
    { candidate: 'https://studio.example.com@evil.com/auth/landing', landing: false, why: 'the site host as a user name' },
    { candidate: 'https://studio.example.com:443@evil.com/auth/landing', landing: false, why: 'the site host and port as credentials' },
    { candidate: 'https://user@studio.example.com/auth/landing', landing: false, why: 'credentials on the right host' },
    { candidate: 'https://evil.com/studio.example.com/auth/landing', landing: false, why: 'the site host in the path' },
    { candidate: 'https://evil.com/auth/landing?https://studio.example.com', landing: false, why: 'the site in the query of another host' },
    { candidate: 'https://evil.com#https://studio.example.com/auth/landing', landing: false, why: 'the site in the fragment of another host' },
    { candidate: 'https://evilstudio.example.com/auth/landing', landing: false, why: 'a host that ends like the site' },
    { candidate: 'https://example.com/auth/landing', landing: false, why: 'the parent domain' },
    { candidate: 'https://a.studio.example.com/auth/landing', landing: false, why: 'a subdomain of the site' },
    { candidate: 'https://studio.example.com./auth/landing', landing: false, why: 'the host with a trailing dot (another origin)' },
    { candidate: 'https://studіo.example.com/auth/landing', landing: false, why: 'a Cyrillic look-alike host' },
    { candidate: 'https://xn--studo-q2e.example.com/auth/landing', landing: false, why: 'the punycode of a look-alike host' },
    { candidate: 'https:\\\\evil.com\\auth\\landing', landing: false, why: 'backslashes leading to another host' },
    { candidate: 'https:/\\evil.com/auth/landing', landing: false, why: 'a slash and a backslash leading to another host' },
    // Other ports and schemes.
    { candidate: 'https://studio.example.com:8443/auth/landing', landing: false, why: 'another port' },
    { candidate: 'http://studio.example.com/auth/landing', landing: false, why: 'http instead of https' },
    { candidate: 'http://studio.example.com:443/auth/landing', landing: false, why: 'http on the https port' },
    { candidate: 'wss://studio.example.com/auth/landing', landing: false, why: 'a websocket URL' },
    { candidate: 'blob:https://studio.example.com/auth/landing', landing: false, why: 'a blob URL whose origin is the site' },
    { candidate: 'blob:https://studio.example.com/4c1d0000-0000-4000-8000-000000000000', landing: false, why: 'a blob URL' },
    { candidate: 'data:text/html,https://studio.example.com/auth/landing', landing: false, why: 'a data URL' },
    { candidate: 'view-source:https://studio.example.com/auth/landing', landing: false, why: 'a view-source URL' },
    { candidate: 'javascript:location="https://studio.example.com/auth/landing"', landing: false, why: 'a javascript URL' },
    { candidate: 'about:blank#https://studio.example.com/auth/landing', landing: false, why: 'an about URL' },
    { candidate: 'filesystem:https://studio.example.com/temporary/auth/landing', landing: false, why: 'a filesystem URL' },
    { candidate: 'chrome-error://chromewebdata/', landing: false, why: 'the browser error page' },
    { candidate: 'file:///auth/landing', landing: false, why: 'a file URL' },
    // The landing path somewhere other than the path.
    { candidate: 'https://studio.example.com/?next=/auth/landing', landing: false, why: 'the path only in the query' },
    { candidate: 'https://studio.example.com/#/auth/landing', landing: false, why: 'the path only in the fragment' },
    { candidate: 'https://studio.example.com/', landing: false, why: 'the site root' },
    { candidate: 'https://studio.example.com/auth/renew?product=latchkey', landing: false, why: 'the renew page' },
    // Paths that look like the landing path.
    { candidate: 'https://studio.example.com/auth/landingX', landing: false, why: 'a longer last segment' },
    { candidate: 'https://studio.example.com/auth/landing.html', landing: false, why: 'an extension' },
    { candidate: 'https://studio.example.com/auth/landing/x', landing: false, why: 'a deeper path' },
    { candidate: 'https://studio.example.com/auth/landing/', landing: false, why: 'a trailing slash' },
    { candidate: 'https://studio.example.com/auth/landing;x', landing: false, why: 'a path parameter' },
    { candidate: 'https://studio.example.com/Auth/Landing', landing: false, why: 'another case (paths are case-sensitive)' },
    { candidate: 'https://studio.example.com/auth/%6Canding', landing: false, why: 'a percent-escaped letter' },
    { candidate: 'https://studio.example.com/auth%2Flanding', landing: false, why: 'an escaped slash' },
    { candidate: 'https://studio.example.com/auth/landing%00', landing: false, why: 'an escaped NUL' },
    { candidate: 'https://studio.example.com//auth/landing', landing: false, why: 'a doubled leading slash' },
    { candidate: 'https://studio.example.com/auth//landing', landing: false, why: 'a doubled inner slash' },
    { candidate: 'https://studio.example.com/x/auth/landing', landing: false, why: 'the path under another folder' },
    { candidate: 'https://studio.example.com/auth/landing/..', landing: false, why: 'a dot-dot segment that leaves the page' },
    // Strings the browser would never report.
    { candidate: 'https://studio.example.com/auth/land\ting', landing: false, why: 'a tab inside the path' },
    { candidate: 'https://studio.example.com/auth/landing\n', landing: false, why: 'a trailing newline' },
    { candidate: 'https://evil.com\n.studio.example.com/auth/landing', landing: false, why: 'a newline inside the host' },
    { candidate: ' https://studio.example.com/auth/landing', landing: false, why: 'a leading space' },
    { candidate: 'https://studio.example.com/auth/landing\u0000', landing: false, why: 'a NUL character' },
    { candidate: '/auth/landing', landing: false, why: 'a path without an origin' },
    { candidate: '//studio.example.com/auth/landing', landing: false, why: 'a scheme-relative URL' },
    { candidate: 'studio.example.com/auth/landing', landing: false, why: 'a URL without a scheme' },
    { candidate: 'https://', landing: false, why: 'a URL without a host' },
    { candidate: 'https://studio.example.com:99999/auth/landing', landing: false, why: 'an impossible port' },
    { candidate: 'not a url', landing: false, why: 'an unparseable string' },
    { candidate: '', landing: false, why: 'the empty string' },
  ];
  for (const { candidate, landing, why } of cases) {
    it(`${landing ? 'accepts' : 'refuses'} ${JSON.stringify(candidate)} (${why})`, () => {
      expect(isLandingUrl(candidate, site, landingPath)).toBe(landing);
    });
  }

  it('has at least 30 look-alikes that must be refused', () => {
    expect(cases.filter((c) => !c.landing).length).toBeGreaterThanOrEqual(30);
  });

  it('matches a loopback site on its own port only', () => {
    const lab = { url: 'http://localhost:3000' };
    expect(isLandingUrl('http://localhost:3000/auth/landing', lab, landingPath)).toBe(true);
    expect(isLandingUrl('http://LOCALHOST:3000/auth/landing', lab, landingPath)).toBe(true);
    expect(isLandingUrl('http://localhost/auth/landing', lab, landingPath)).toBe(false);
    expect(isLandingUrl('http://127.0.0.1:3000/auth/landing', lab, landingPath)).toBe(false);
    expect(isLandingUrl('https://localhost:3000/auth/landing', lab, landingPath)).toBe(false);
  });

  it('uses the profile landing path, not a fixed one', () => {
    expect(isLandingUrl('https://studio.example.com/sso/done', site, '/sso/done')).toBe(true);
    expect(isLandingUrl('https://studio.example.com/auth/landing', site, '/sso/done')).toBe(false);
  });

  it('reads the site URL as an origin, whatever its spelling', () => {
    expect(isLandingUrl('https://studio.example.com/auth/landing', { url: 'https://Studio.Example.com:443/' }, landingPath)).toBe(true);
  });

  it('throws a TypeError for a landing path no committed URL could have', () => {
    for (const bad of ['auth/landing', '/auth/./landing', '/auth/landing?x=1', '/auth/landing#x', '//evil.com/auth/landing', '/auth/land\ting', '']) {
      expect(() => isLandingUrl('https://studio.example.com/auth/landing', site, bad)).toThrow(TypeError);
    }
  });

  it('throws a TypeError for a site URL that is not an http(s) origin', () => {
    expect(() => isLandingUrl('https://studio.example.com/auth/landing', { url: 'studio.example.com' }, landingPath)).toThrow(TypeError);
    expect(() => isLandingUrl('https://studio.example.com/auth/landing', { url: 'blob:https://studio.example.com/x' }, landingPath)).toThrow(TypeError);
  });
});

describe('sameOrigin', () => {
  const cases: { a: string; b: string; same: boolean; why: string }[] = [
    { a: 'https://studio.example.com/a', b: 'https://studio.example.com/b?c#d', same: true, why: 'different paths on one origin' },
    { a: 'https://Studio.Example.com', b: 'https://studio.example.com:443/', same: true, why: 'case and the default port' },
    { a: 'http://localhost:80/', b: 'http://localhost', same: true, why: 'the http default port' },
    { a: 'https://bücher.example', b: 'https://xn--bcher-kva.example', same: true, why: 'an IDN and its punycode' },
    { a: 'https://studio.example.com', b: 'https://studio.example.com:8443', same: false, why: 'another port' },
    { a: 'https://studio.example.com', b: 'http://studio.example.com', same: false, why: 'another scheme' },
    { a: 'https://studio.example.com', b: 'https://studio.example.com.evil.com', same: false, why: 'a look-alike host' },
    { a: 'https://studio.example.com', b: 'https://studio.example.com@evil.com', same: false, why: 'a userinfo trick' },
    { a: 'https://studio.example.com', b: 'https://studio.example.com.', same: false, why: 'a trailing dot' },
    { a: 'https://studio.example.com', b: 'blob:https://studio.example.com/x', same: false, why: 'a blob URL with that origin' },
    { a: 'data:text/plain,a', b: 'data:text/plain,a', same: false, why: 'two opaque origins' },
    { a: 'about:blank', b: 'about:blank', same: false, why: 'two about:blank pages' },
    { a: 'https://studio.example.com', b: 'https://studio.example.com/\tx', same: false, why: 'a tab inside' },
    { a: 'https://studio.example.com', b: '', same: false, why: 'the empty string' },
    { a: 'nonsense', b: 'nonsense', same: false, why: 'two unparseable strings' },
  ];
  for (const { a, b, same, why } of cases) {
    it(`says ${JSON.stringify(a)} and ${JSON.stringify(b)} are ${same ? '' : 'not '}the same origin (${why})`, () => {
      expect(sameOrigin(a, b)).toBe(same);
      expect(sameOrigin(b, a)).toBe(same);
    });
  }
});
