import { describe, expect, it } from 'vitest';
import { authServerAllowlist, chromiumProxy } from '../../../core/browser/chromium-flags.ts';
import { describeProxy, directConfig, parseProxyUrl, proxyConfigFromEnv, proxyFor, type ProxyConfig } from '../../../core/net/proxy-config.ts';
import { containsSecret } from '../../../core/secrets.ts';

function config(env: Record<string, string>): ProxyConfig {
  const found = proxyConfigFromEnv(env);
  if (found === null) throw new Error('no proxy configuration');
  return found;
}

const via = (found: ProxyConfig, url: string): string | null => proxyFor(found, url)?.href ?? null;

describe('proxy settings from the environment', () => {
  it('reads HTTPS_PROXY, HTTP_PROXY and ALL_PROXY, the lower-case name first', () => {
    const found = config({ HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'plain:8080' });
    expect(found.source).toBe('environment');
    expect(found.httpsProxy?.href).toBe('http://lower:3128/');
    // `host:port` is an http proxy.
    expect(found.httpProxy?.href).toBe('http://plain:8080/');
    expect(config({ ALL_PROXY: 'http://all:1' }).httpsProxy?.href).toBe('http://all:1/');
    expect(proxyConfigFromEnv({})).toBeNull();
    expect(proxyConfigFromEnv({ HTTPS_PROXY: '  ' })).toBeNull();
  });

  it('lets LATCHKEY_PROXY decide for both schemes, or go direct', () => {
    const found = config({ LATCHKEY_PROXY: 'http://corp:3128', HTTPS_PROXY: 'http://other:1', NO_PROXY: 'intranet' });
    expect(found.source).toBe('LATCHKEY_PROXY');
    expect([found.httpProxy?.href, found.httpsProxy?.href]).toEqual(['http://corp:3128/', 'http://corp:3128/']);
    expect(found.noProxy).toEqual(['intranet']);
    expect(proxyConfigFromEnv({ LATCHKEY_PROXY: 'direct', HTTPS_PROXY: 'http://other:1' })).toBe(directConfig);
  });

  it('refuses what is not an HTTP(S) proxy, naming the variable, as a setting of the agent (not of a site)', () => {
    expect(() => proxyConfigFromEnv({ HTTPS_PROXY: 'socks5://corp:1080' })).toThrow(expect.objectContaining({ code: 'invalid_setting', message: expect.stringContaining('HTTPS_PROXY names a socks5 proxy') }));
    expect(() => proxyConfigFromEnv({ LATCHKEY_PROXY: 'http://[bad' })).toThrow(expect.objectContaining({ code: 'invalid_setting', message: expect.stringContaining('LATCHKEY_PROXY is not a proxy URL') }));
    // A site's own proxy is the site's field.
    expect(() => parseProxyUrl('socks5://corp:1080', "The site's proxy", 'invalid_site')).toThrow(expect.objectContaining({ code: 'invalid_site' }));
  });

  it('treats the proxy password as a secret and never shows the credentials', () => {
    const found = config({ HTTPS_PROXY: 'http://alice:s%3Acret%20pw@corp:3128' });
    expect(containsSecret('the password is s:cret pw')).toBe(true);
    expect(describeProxy(found.httpsProxy ?? new URL('http://x'))).toBe('http://corp:3128');
  });
});

describe('which requests go through the proxy', () => {
  const found = config({ HTTPS_PROXY: 'http://corp:3128', HTTP_PROXY: 'http://plain:8080', NO_PROXY: 'intranet.example, .corp.example,*.wild.example, api.example:8443, 10.0.0.0/8, [fd00::1]' });

  it('sends each scheme to its proxy', () => {
    expect(via(found, 'https://site.example.com/')).toBe('http://corp:3128/');
    expect(via(found, 'http://site.example.com/')).toBe('http://plain:8080/');
    expect(via(directConfig, 'https://site.example.com/')).toBeNull();
  });

  it('goes direct for NO_PROXY hosts and everything under them, with or without a leading dot or star', () => {
    for (const url of ['https://intranet.example/', 'https://sso.intranet.example/', 'https://corp.example/', 'https://a.b.corp.example/', 'https://x.wild.example/']) expect(via(found, url)).toBeNull();
    // Only whole labels: `notintranet.example` is another host.
    expect(via(found, 'https://notintranet.example/')).toBe('http://corp:3128/');
  });

  it('matches ports, CIDR ranges and IPv6 literals', () => {
    expect(via(found, 'https://api.example:8443/')).toBeNull();
    expect(via(found, 'https://api.example/')).toBe('http://corp:3128/');
    expect(via(found, 'https://10.1.2.3/')).toBeNull();
    expect(via(found, 'https://11.1.2.3/')).toBe('http://corp:3128/');
    expect(via(found, 'https://[fd00::1]/')).toBeNull();
    expect(via(config({ HTTPS_PROXY: 'http://corp:1', NO_PROXY: '*' }), 'https://any.example/')).toBeNull();
  });

  it("sends loopback names direct under the system's settings, as browsers do with them", () => {
    const system: ProxyConfig = { ...found, source: 'system' };
    expect(via(system, 'http://idp.localhost:4000/')).toBeNull();
    expect(via(system, 'https://site.example.com/')).toBe('http://corp:3128/');
    expect(chromiumProxy(system).args[0]?.startsWith('--proxy-bypass-list=localhost;')).toBe(true);
  });

  it("never sends this machine's own addresses to a proxy, but does send loopback names unless NO_PROXY says", () => {
    for (const url of ['http://127.0.0.1:4000/latchkey/callback', 'http://127.9.9.9/', 'http://[::1]/', 'http://localhost:8080/']) expect(via(found, url)).toBeNull();
    expect(via(found, 'http://idp.localhost:4000/')).toBe('http://plain:8080/');
  });
});

describe("the login browser's proxy", () => {
  it('is the https proxy with its credentials, the bypass list led by <-loopback>', () => {
    const found = config({ HTTPS_PROXY: 'http://alice:s%3Acret@corp:3128', HTTP_PROXY: 'http://plain:1', NO_PROXY: '.corp.example,intranet' });
    expect(chromiumProxy(found)).toEqual({
      proxy: { server: 'http://corp:3128', username: 'alice', password: 's:cret' },
      args: ['--proxy-bypass-list=<-loopback>;localhost;127.0.0.0/8;[::1];*.corp.example;intranet'],
    });
  });

  it('is nothing without a proxy, and a PAC file where the system names one', () => {
    expect(chromiumProxy(directConfig)).toEqual({ args: [] });
    expect(chromiumProxy({ ...directConfig, pacUrl: 'http://wpad.corp.example/wpad.dat' })).toEqual({ args: ['--proxy-pac-url=http://wpad.corp.example/wpad.dat'] });
  });
});

describe('a PAC answer', () => {
  it('is its first HTTP or HTTPS proxy, or direct; SOCKS entries are passed over', async () => {
    const { pacChoice } = await import('../../../core/net/pac-proxy.ts');
    expect(pacChoice('PROXY corp:3128; DIRECT')?.href).toBe('http://corp:3128/');
    expect(pacChoice('SOCKS5 corp:1080; HTTPS secure:443')?.href).toBe('https://secure/');
    expect(pacChoice('DIRECT')).toBeNull();
    expect(pacChoice('SOCKS corp:1080')).toBeNull();
    expect(pacChoice('  proxy   spaced:8080  ')?.href).toBe('http://spaced:8080/');
  });
});

describe('integrated Windows authentication', () => {
  it('answers Negotiate challenges only for the hosts LATCHKEY_AUTH_SERVERS lists', () => {
    expect(authServerAllowlist({})).toBeNull();
    expect(authServerAllowlist({ LATCHKEY_AUTH_SERVERS: ' *.corp.example, sso.corp.example ,' })).toBe('*.corp.example,sso.corp.example');
    // Nothing that could end the flag and start another.
    expect(authServerAllowlist({ LATCHKEY_AUTH_SERVERS: 'a.example --no-sandbox,b.example' })).toBe('b.example');
  });
});
