import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumLoginWindows } from '../../core/browser/chromium-login-window.ts';
import { runLogin } from '../../core/login/login-flow.ts';
import type { LoginResult } from '../../core/login/login-result.ts';
import { nodeHttp } from '../../core/net/engine-http.ts';
import { directConfig, proxyConfigFromEnv, type ProxyConfig } from '../../core/net/proxy-config.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { slottedWindows } from '../support/browser-slots.ts';
import { runCli } from '../support/cli-process.ts';
import { cliEnv, startLiveAgent } from '../support/live-agent.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { recordSecret } from '../support/secrets.ts';
import { startSquid, type Squid } from '../support/squid.ts';
import { makeTestHome, type TestHome } from '../support/test-home.ts';

// Through a real forward proxy (Debian's squid, asking for Basic credentials): the login window and
// the engine's own calls go the one way the settings say, the proxy's access log shows both, and
// a proxy that is gone ends the login `network_error` naming it. The proxy resolves the lab's
// names from its own hosts file.

let lab: Lab;
let squid: Squid;
let home: TestHome;
const clock = new ManualClock(Date.now());

function config(proxyUrl: string): ProxyConfig {
  const found = proxyConfigFromEnv({ LATCHKEY_PROXY: proxyUrl });
  if (found === null) throw new Error('no proxy configuration');
  return found;
}

/** A login; `person` acts in its window (here: answers the proxy's prompt). */
function login(site: Site, proxy: ProxyConfig, person?: (page: Page) => Promise<void>): Promise<LoginResult> {
  const windows = slottedWindows(new ChromiumLoginWindows({
    profilesDir: home.profilesDir,
    alwaysHidden: true,
    logger: home.logger,
    proxy,
    ...(person === undefined ? {} : { onPage: (page: Page) => person(page) }),
    ...(process.env['LATCHKEY_BROWSER'] ? { executablePath: process.env['LATCHKEY_BROWSER'] } : {}),
  }));
  return runLogin({ site, windows, interactive: true, clock, logger: home.logger, http: nodeHttp(proxy, home.logger) });
}

const cloud = (id: string): Site => ({ ...newSite({ url: lab.cloud.url, preset: 'cloudshell', profile: { issuer: lab.idp.issuer, clientId: lab.cloud.clientId } }, []), id });

beforeAll(async () => {
  lab = await startLab({ autoLogin: 'ada' });
  home = makeTestHome('proxy');
  squid = await startSquid(['idp.localhost', 'studio.localhost', 'cloud.localhost', 'catalyst.localhost', 'portal.localhost']);
  recordSecret(squid.password);
});

afterAll(async () => {
  await squid.close();
  await lab.close();
});

/** The person answering the window's proxy prompt with `username` and `password` (and nothing else). */
async function answerProxyPrompt(page: Page, username: string, password: string): Promise<void> {
  const devtools = await page.context().newCDPSession(page);
  devtools.on('Fetch.requestPaused', (event) => void devtools.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => undefined));
  devtools.on('Fetch.authRequired', (event) => {
    const answer = event.authChallenge.source === 'Proxy' ? { response: 'ProvideCredentials' as const, username, password } : { response: 'Default' as const };
    void devtools.send('Fetch.continueWithAuth', { requestId: event.requestId, authChallengeResponse: answer }).catch(() => undefined);
  });
  await devtools.send('Fetch.enable', { handleAuthRequests: true });
}

/** The access log's lines for `host` from `from` on. */
const linesFor = (host: string, from: number): string[] => squid.accessLog().slice(from).filter((line) => line.includes(host));

describe('logins and calls through a proxy that asks for credentials', () => {
  it('logs in: the window and the engine both go through the proxy, with its credentials', async () => {
    const before = squid.accessLog().length;
    const result = await login(cloud('cloud-proxied'), config(squid.urlWithCredentials));
    expect(result).toMatchObject({ ending: 'ok', session: { user: 'ada@lab.example' } });
    const idp = linesFor(`idp.localhost:${lab.idp.port}`, before);
    // The window's authorization request and the engine's metadata and token calls.
    expect(idp.some((line) => / GET http:\/\/idp\.localhost:\d+\/auth\?/.test(line))).toBe(true);
    expect(idp.some((line) => / GET http:\/\/idp\.localhost:\d+\/\.well-known\/openid-configuration /.test(line))).toBe(true);
    expect(idp.some((line) => / POST http:\/\/idp\.localhost:\d+\/token /.test(line))).toBe(true);
    expect(linesFor(`cloud.localhost:${lab.cloud.port}/api/login`, before)).toHaveLength(1);
    // Every request the proxy let through carried its user; the others were its 407 challenges.
    for (const line of idp) expect(line.includes(` ${squid.user} `) || line.includes('TCP_DENIED/407')).toBe(true);
    expect(idp.filter((line) => line.includes(` ${squid.user} `)).length).toBeGreaterThan(3);
    // The loopback redirect URI, which carries the code, never went to the proxy.
    expect(squid.accessLog().slice(before).filter((line) => line.includes('127.0.0.1/latchkey/callback'))).toEqual([]);
    if (result.ending !== 'ok') return;

    // `latchkey api` with the session, the proxy from the environment, as a script in CI runs it.
    const env = cliEnv(home.dir, {
      LATCHKEY_SESSION: result.session.credential.value,
      LATCHKEY_SESSION_KIND: 'bearer',
      LATCHKEY_SITE_URL: lab.cloud.url,
      HTTP_PROXY: undefined,
      http_proxy: squid.urlWithCredentials,
      NO_PROXY: 'example.com',
    });
    const apiBefore = squid.accessLog().length;
    const call = await runCli(['api', '/api/whoami'], env);
    expect(call.code).toBe(0);
    expect(JSON.parse(call.stdout)).toEqual({ user: 'ada@lab.example', via: 'api-token' });
    expect(linesFor(`cloud.localhost:${lab.cloud.port}/api/whoami`, apiBefore)).toHaveLength(1);
  });

  it('says the proxy wants credentials when the proxy URL has none', async () => {
    const result = await login(cloud('cloud-no-credentials'), config(squid.url));
    expect(result).toMatchObject({ ending: 'http_error', status: 407, reason: expect.stringContaining('The proxy asked for credentials') });
    const env = cliEnv(home.dir, { LATCHKEY_SESSION: 'anything', LATCHKEY_SESSION_KIND: 'bearer', LATCHKEY_SITE_URL: lab.cloud.url, HTTP_PROXY: squid.url });
    const call = await runCli(['api', '/api/whoami'], env);
    expect(call.code).toBe(1);
    expect(call.stderr).toContain(`The proxy ${squid.url} asked for credentials`);
  });

  // The window's own prompt for the proxy's credentials: in these hidden windows the person's answer
  // is given where Chromium asks for it, the DevTools protocol's Fetch.authRequired (a visible window
  // shows its prompt there). Playwright answers proxy challenges only from its launch options, so the
  // test speaks the protocol itself. A cookie site: the login is the window's alone.
  it("logs in when the person answers the window's prompt for the proxy's credentials, which are kept nowhere", async () => {
    const studio: Site = { ...newSite({ url: lab.site.url, preset: 'shotgrid' }, []), id: 'studio-proxy-prompt' };
    const before = squid.accessLog().length;
    const result = await login(studio, config(squid.url), (page) => answerProxyPrompt(page, squid.user, squid.password));
    expect(result).toMatchObject({ ending: 'ok', session: { user: 'ada' } });
    const seen = linesFor(`studio.localhost:${lab.site.port}`, before);
    expect(seen.some((line) => line.includes('TCP_DENIED/407'))).toBe(true);
    expect(seen.some((line) => line.includes(` ${squid.user} `))).toBe(true);
    // Not answered: the login ends as a dismissed prompt does, naming nothing secret.
    const unanswered = await login({ ...studio, id: 'studio-proxy-unanswered' }, config(squid.url));
    expect(unanswered).toMatchObject({ ending: 'cancelled', reason: expect.stringMatching(/^The sign-in prompt of studio\.localhost:\d+ was cancelled\.$/) });
    expect(JSON.stringify(unanswered)).not.toContain(squid.password);
  });

  it('goes around the proxy for the hosts NO_PROXY names', async () => {
    const before = squid.accessLog().length;
    const proxy = proxyConfigFromEnv({ HTTP_PROXY: undefined, http_proxy: squid.urlWithCredentials, no_proxy: '.localhost' });
    if (proxy === null) throw new Error('no proxy configuration');
    expect(await login(cloud('cloud-no-proxy'), proxy)).toMatchObject({ ending: 'ok' });
    // Nothing of the login's (Chromium's own calls home are no part of it).
    expect(squid.accessLog().slice(before).filter((line) => /\.localhost:|\/\/127\.0\.0\.1/.test(line))).toEqual([]);
  });

  it('ends the login `network_error` naming the proxy when the proxy is gone, never going around it', async () => {
    await squid.stop();
    const result = await login(cloud('cloud-proxy-down'), config(squid.urlWithCredentials));
    expect(result).toMatchObject({ ending: 'network_error' });
    expect(result.ending !== 'ok' && result.reason).toContain(`through the proxy ${squid.url} (ECONNREFUSED)`);
    // The credentials are never in what is shown.
    expect(result.ending !== 'ok' && result.reason).not.toContain(squid.user);
  });
});

describe('a PAC file that the system names', () => {
  let open: Squid;
  let pacServer: Server;
  let pacUrl: string;

  beforeAll(async () => {
    open = await startSquid(['idp.localhost', 'cloud.localhost', 'studio.localhost'], { auth: false });
    // The lab's names through the proxy, everything else direct; the PAC helpers run in the sandbox.
    const script = `function FindProxyForURL(url, host) { if (dnsDomainIs(host, '.localhost') && !isPlainHostName(host)) return 'SOCKS5 127.0.0.1:1; PROXY 127.0.0.1:${open.port}; DIRECT'; return 'DIRECT'; }`;
    pacServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/x-ns-proxy-autoconfig' }).end(script));
    await new Promise<void>((resolve) => pacServer.listen(0, '127.0.0.1', resolve));
    pacUrl = `http://127.0.0.1:${(pacServer.address() as AddressInfo).port}/proxy.pac`;
  });

  afterAll(async () => {
    await open.close();
    await new Promise<void>((resolve) => pacServer.close(() => resolve()));
  });

  // The window gets the PAC file too (--proxy-pac-url, see the unit tests of chromiumProxy), but
  // Chromium never sends loopback names through a PAC file's proxy, and the lab's names are all
  // loopback ones: here only the engine's side can be seen in the proxy's log.
  it("sends the engine's calls (pac-resolver in QuickJS) through the proxy the PAC file picks", async () => {
    const before = open.accessLog().length;
    const result = await login(cloud('cloud-pac'), { ...directConfig, pacUrl, source: 'system' });
    expect(result).toMatchObject({ ending: 'ok' });
    const seen = open.accessLog().slice(before);
    expect(seen.some((line) => / GET http:\/\/idp\.localhost:\d+\/\.well-known\/openid-configuration /.test(line))).toBe(true);
    expect(seen.some((line) => / POST http:\/\/idp\.localhost:\d+\/token /.test(line))).toBe(true);
    expect(seen.some((line) => / POST http:\/\/cloud\.localhost:\d+\/api\/login /.test(line))).toBe(true);
  });

  it("takes a site's own proxy over the settings, for its window and its engine calls", async () => {
    const before = open.accessLog().length;
    const own = cloud('cloud-own-proxy');
    own.profile.proxy = open.url;
    // The settings say direct: only the site's own proxy can put these requests in its log.
    expect(await login(own, directConfig)).toMatchObject({ ending: 'ok' });
    const seen = open.accessLog().slice(before);
    expect(seen.some((line) => / GET http:\/\/idp\.localhost:\d+\/auth\?/.test(line))).toBe(true);
    expect(seen.some((line) => / POST http:\/\/idp\.localhost:\d+\/token /.test(line))).toBe(true);
    // And `direct` in a site's profile goes around a proxy the settings name.
    const around = cloud('cloud-own-direct');
    around.profile.proxy = 'direct';
    const after = open.accessLog().length;
    expect(await login(around, config(open.url))).toMatchObject({ ending: 'ok' });
    expect(open.accessLog().slice(after).filter((line) => line.includes('.localhost:'))).toEqual([]);
  });

  it("sends latchkey api through the site's own proxy too", async () => {
    const live = await startLiveAgent('api-own-proxy', { registerSite: false });
    try {
      const site = await live.engine.handlers.addSite({ url: live.lab.site.url, name: 'Studio', profile: { proxy: open.url } }, { client: 'test' });
      expect((await live.api('POST', `/v1/sites/${site.id}/login`, {})).status).toBe(200);
      const before = open.accessLog().length;
      const call = await runCli(['api', site.id, '/api/whoami'], live.env);
      expect(call.code).toBe(0);
      expect(open.accessLog().slice(before).filter((line) => line.includes(`studio.localhost:${live.lab.site.port}/api/whoami`))).toHaveLength(1);
    } finally {
      await live.close();
    }
  });

  it('goes direct when the PAC file cannot be loaded, and says so in the log', async () => {
    const before = open.accessLog().length;
    expect(await login(cloud('cloud-pac-missing'), { ...directConfig, pacUrl: 'http://127.0.0.1:1/none.pac', source: 'system' })).toMatchObject({ ending: 'ok' });
    expect(open.accessLog().slice(before).filter((line) => line.includes('.localhost:'))).toEqual([]);
    expect(await home.readLog()).toContain('the PAC file could not be used; calls go direct');
  });
});
