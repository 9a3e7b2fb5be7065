import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directConfig, type ProxyConfig } from '../../../core/net/proxy-config.ts';
import { proxyRouter } from '../../../core/net/proxy-router.ts';
import { makeTestHome } from '../../support/test-home.ts';

// The engine's PAC files (the window's are Chromium's): evaluated in QuickJS, per request; what
// fails goes direct and is logged, as browsers do.

const pacScript = `function FindProxyForURL(url, host) {
  if (host === "boom.example") throw new Error("this PAC file fails for boom.example");
  if (host === "proxied.example") return "PROXY proxy.example:3128; DIRECT";
  if (host === "socks.example") return "SOCKS5 socks.example:1080";
  if (host === "secure.example") return "HTTPS tls-proxy.example:443";
  return "DIRECT";
}`;

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/proxy.pac') {
      res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' }).end(pacScript);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const withPac = (pacUrl: string): ProxyConfig => ({ ...directConfig, source: 'system', pacUrl });

describe('the engine under a PAC file', () => {
  it('takes each request to the proxy the PAC file picks, and a request it fails for goes direct, logged', async () => {
    const home = makeTestHome('pac-router');
    const route = proxyRouter(withPac(`${base}/proxy.pac`), home.logger);
    expect((await route('https://proxied.example/api'))?.href).toBe('http://proxy.example:3128/');
    expect((await route('https://secure.example/'))?.href).toBe('https://tls-proxy.example/');
    // SOCKS is not spoken here: an answer with nothing else usable goes direct.
    expect(await route('https://socks.example/')).toBeNull();
    expect(await route('https://elsewhere.example/')).toBeNull();
    expect(await route('https://boom.example/')).toBeNull();
    const log = await home.readLog();
    expect(log).toContain('"message":"the PAC file failed for a request; it goes direct"');
    expect(log).toContain('this PAC file fails for boom.example');
    // The next request is routed by the same PAC file again.
    expect((await route('https://proxied.example/again'))?.href).toBe('http://proxy.example:3128/');
  });

  it("never sends this machine's own addresses to the PAC file's proxy", async () => {
    const route = proxyRouter(withPac(`${base}/proxy.pac`));
    expect(await route('http://127.0.0.1:9/')).toBeNull();
    expect(await route('http://idp.localhost:9/')).toBeNull();
  });

  it('goes direct, saying so once, when the PAC file cannot be loaded', async () => {
    const home = makeTestHome('pac-missing');
    const route = proxyRouter(withPac(`${base}/missing.pac`), home.logger);
    expect(await route('https://proxied.example/')).toBeNull();
    expect(await route('https://proxied.example/')).toBeNull();
    const lines = (await home.readLog()).split('\n').filter((line) => line.includes('the PAC file could not be used'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('HTTP 404');
  });
});
