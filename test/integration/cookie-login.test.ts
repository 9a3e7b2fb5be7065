import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLogin } from '../../core/login/login-flow.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { requestLoopback, startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, personReaches, typesLogin, type TestEngine } from '../support/engine.ts';

// A real login through the lab's OpenID Provider in real Chromium, ending in each way a login can end.

let lab: Lab;
let engine: TestEngine;
let site: Site;

async function whoami(headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return requestLoopback(`${lab.site.url}/api/whoami`, { headers });
}

async function interactive(options: { target?: Site } = {}) {
  return runLogin({ site: options.target ?? site, windows: engine.windows, interactive: true, clock: engine.clock, logger: engine.home.logger });
}

/** Runs `login` and says when it ran, in epoch ms: an expiry the login captured lies between. */
async function timed<T>(login: () => Promise<T>): Promise<{ result: T; before: number; after: number }> {
  const before = Date.now();
  const result = await login();
  return { result, before, after: Date.now() };
}

beforeAll(async () => {
  lab = await startLab();
  engine = await makeTestEngine('cookie-login');
  site = newSite({ url: lab.site.url, preset: 'shotgrid' }, []);
});

afterAll(async () => {
  engine.sessions.close();
  await lab.close();
});

afterEach(async () => {
  lab.site.setFailure(null);
  lab.idp.setAutoLogin(null);
  lab.idp.setOtp(false);
  await lab.idp.start().catch(() => undefined);
  engine.setPerson(null);
});

describe('a cookie-mode (shotgrid) login in Chromium', () => {
  it('logs in through the identity provider form and captures a session the site API accepts', async () => {
    engine.setPerson(typesLogin('ada', 'lovelace'));
    const { result, before, after } = await timed(interactive);
    expect(result.ending).toBe('ok');
    if (result.ending !== 'ok') return;
    const { session } = result;
    expect(session.user).toBe('ada');
    expect(session.credential).toMatchObject({ kind: 'cookie', name: '_session_id' });
    expect(lab.site.issuedSessions()).toContain(session.credential.value);
    // The lab's claims expiry cookie says an hour from the login, in whole seconds.
    expect(session.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
    expect(session.expiresAt).toBeLessThanOrEqual(after + 3_600_000);
    // Only the site origin's cookies: nothing of the identity provider's host.
    expect(session.cookies.length).toBeGreaterThan(0);
    expect(session.cookies.every((cookie) => cookie.domain === 'studio.localhost')).toBe(true);
    expect(session.cookies.find((cookie) => cookie.name === '_session_id')?.httpOnly).toBe(true);
    const answer = await whoami({ Cookie: `_session_id=${session.credential.value}` });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ user: 'ada' });
  });

  it.each([
    ['user name', 'spaced out'],
    ['user+name', 'plus sign'],
  ])('keeps the login %j intact through URL encoding', async (login, password) => {
    await engine.windows.clearProfile(site.id);
    engine.setPerson(typesLogin(login, password));
    const result = await interactive();
    expect(result).toMatchObject({ ending: 'ok', session: { user: login } });
  });

  it('passes the second step (a one-time code) when the identity provider asks for it', async () => {
    await engine.windows.clearProfile(site.id);
    lab.idp.setOtp(true);
    engine.setPerson(typesLogin('ada', 'lovelace', lab.accounts.otpCode));
    expect(await interactive()).toMatchObject({ ending: 'ok', session: { user: 'ada' } });
  });

  it.each([
    ['user-id', 'shotgun_sso_session_expiration_u42'],
    ['none', null],
  ] as const)('reads the expiry with the %s expiry cookie style', async (style, cookieName) => {
    const other = await startLab({ expiryCookieStyle: style, autoLogin: 'ada', sessionLifetimeSeconds: 1800 });
    try {
      const otherSite = newSite({ url: other.site.url }, []);
      const { result, before, after } = await timed(() => runLogin({ site: otherSite, windows: engine.windows, interactive: true, clock: engine.clock }));
      expect(result.ending).toBe('ok');
      if (result.ending !== 'ok') return;
      const names = result.session.cookies.map((cookie) => cookie.name);
      if (cookieName) expect(names).toContain(cookieName);
      else expect(names.filter((name) => name.includes('expiration'))).toEqual([]);
      // Either way the expiry is the session's 30 minutes (from the cookie's own Max-Age without an expiry cookie).
      expect(result.session.expiresAt).toBeGreaterThanOrEqual(before + 1_800_000 - 1_000);
      expect(result.session.expiresAt).toBeLessThanOrEqual(after + 1_800_000 + 1_000);
    } finally {
      await other.close();
    }
  });

  it('ends cancelled when the person closes the window', async () => {
    engine.setPerson(async (page) => {
      await page.locator('#username').waitFor({ timeout: 0 });
      await page.close();
    });
    await engine.windows.clearProfile(site.id);
    expect(await interactive()).toMatchObject({ ending: 'cancelled' });
  });

  it('ends timeout when the site never lands', async () => {
    lab.site.setFailure('never_lands');
    const reached = personReaches(engine, /\/auth\/renew/);
    const running = interactive();
    await reached;
    engine.clock.runTimer('login deadline');
    expect(await running).toMatchObject({ ending: 'timeout' });
  });

  it('ends tls_error on a self-signed certificate, never ignoring it', async () => {
    const tlsSite = newSite({ url: lab.site.tlsUrl }, []);
    const result = await interactive({ target: tlsSite });
    expect(result).toMatchObject({ ending: 'tls_error' });
    expect('reason' in result && result.reason).toContain('ERR_CERT');
  });

  it('ends network_error when the identity provider is down', async () => {
    await lab.idp.stop();
    expect(await interactive()).toMatchObject({ ending: 'network_error' });
  });

  it.each([
    ['landing_500', 500],
    ['renew_500', 500],
  ] as const)('ends http_error with the status when the site fails (%s)', async (failure, status) => {
    lab.site.setFailure(failure);
    lab.idp.setAutoLogin('ada');
    expect(await interactive()).toMatchObject({ ending: 'http_error', status });
  });

  it('ends incomplete when the site lands without its session cookie', async () => {
    lab.site.setFailure('no_cookie');
    lab.idp.setAutoLogin('ada');
    const result = await interactive();
    expect(result).toMatchObject({ ending: 'incomplete' });
    expect('reason' in result && result.reason).toContain('_session_id');
  });

  it.each(['redirect_loop', 'page_loop'] as const)('ends redirect_loop on a loop (%s)', async (failure) => {
    lab.site.setFailure(failure);
    expect(await interactive()).toMatchObject({ ending: 'redirect_loop' });
  });
});
