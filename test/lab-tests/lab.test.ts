import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Cookie, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestLoopback, startLab, type Lab, type LabOptions } from '../lab/lab.ts';
import { takeBrowserSlot } from '../support/browser-slots.ts';
import { ManualClock } from '../support/manual-clock.ts';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let browser: Browser;
let lab: Lab;
let context: BrowserContext;
let page: Page;
let giveBackSlot: () => Promise<void>;
// The lab's sites end their sessions by this clock, which moves only when a test moves it.
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  giveBackSlot = await takeBrowserSlot();
  [browser, lab] = await Promise.all([
    chromium.launch({ executablePath: process.env['LATCHKEY_BROWSER'] ?? '/usr/bin/chromium', headless: true, args: chromiumArgs }),
    startLab({ clock }),
  ]);
  context = await browser.newContext();
  // No step waits against a wall-clock bound; a hang is ended by the test run's own timeout.
  context.setDefaultTimeout(0);
});

afterAll(async () => {
  await Promise.all([browser.close(), lab.close()]);
  await giveBackSlot();
});

// One browser context for the file, emptied between tests: a fresh context per test costs a
// third of a second each on this machine, and no test needs more isolation than its cookies.
beforeEach(async () => {
  page = await context.newPage();
});

afterEach(async () => {
  await page.close();
  await context.clearCookies();
  lab.site.setFailure(null);
  lab.site.setSessionLifetime(3600);
  lab.idp.setAutoLogin(null);
  lab.idp.setOtp(false);
  await lab.idp.start();
});

function renewUrl(target: Lab = lab): string {
  return `${target.site.url}/auth/renew?product=test`;
}

function landingUrl(target: Lab = lab): string {
  return `${target.site.url}/auth/landing`;
}

/** Every URL the page's top-level frame commits from now on. */
function recordCommits(target: Page): string[] {
  const urls: string[] = [];
  target.on('framenavigated', (frame) => {
    if (frame === target.mainFrame()) urls.push(frame.url());
  });
  return urls;
}

async function siteCookies(target: Lab = lab): Promise<Map<string, Cookie>> {
  return new Map((await context.cookies(target.site.url)).map((c) => [c.name, c]));
}

async function signInWithForm(login: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.click('#submit');
}

function whoami(cookie: string | null): ReturnType<typeof requestLoopback> {
  return requestLoopback(`${lab.site.url}/api/whoami`, { headers: cookie === null ? {} : { cookie } });
}

describe('SSO lab identity provider and site', () => {
  it('signs in through the form and lands with an HttpOnly session cookie that the API accepts', async () => {
    await page.goto(renewUrl());
    expect(new URL(page.url()).host).toBe(new URL(lab.idp.url).host);
    expect(new URL(page.url()).pathname).toMatch(/^\/interaction\/[\w-]+$/);
    await signInWithForm('ada', 'lovelace');
    await page.waitForURL(landingUrl());
    await expect(page.locator('#landed').textContent()).resolves.toContain('signed in');

    const cookies = await siteCookies();
    const session = cookies.get('_session_id');
    expect(session?.value).toMatch(/^[\w-]{43}$/);
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    expect(session?.path).toBe('/');
    expect(session?.domain).toBe('studio.localhost');
    expect(cookies.get('shotgun_current_user_login')?.value).toBe('ada');
    const expiry = Number(cookies.get('shotgun_current_user_sso_claims_expiration')?.value);
    // An hour from the login, by the lab's clock, in whole seconds.
    expect(expiry).toBe(Math.floor(clock.now() / 1000) + 3600);
    expect(lab.site.issuedSessions()).toContain(session?.value);
    // The IdP's cookies stay on its own host.
    expect((await context.cookies(lab.idp.url)).map((c) => c.name)).toContain('_session');
    expect([...cookies.keys()]).not.toContain('_session');

    const ok = await whoami(`_session_id=${session?.value ?? ''}`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ user: 'ada' });
    const wrong = await whoami('_session_id=not-a-session');
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body)).toEqual({ error: 'unauthorized' });
    expect((await whoami(null)).status).toBe(401);
  });

  it('shows the form again with an error after a wrong password', async () => {
    await page.goto(renewUrl());
    const formUrl = page.url();
    const answer = page.waitForResponse((r) => r.request().method() === 'POST');
    await signInWithForm('ada', 'wrong');
    expect((await answer).status()).toBe(200);
    await expect(page.locator('#error').textContent()).resolves.toBe('Wrong username or password.');
    await expect(page.locator('#username').inputValue()).resolves.toBe('ada');
    expect(new URL(page.url()).pathname).toBe(`${new URL(formUrl).pathname}/login`);
    await signInWithForm('ada', 'lovelace');
    await page.waitForURL(landingUrl());
  });

  it('keeps a login name with a plus sign intact and URL-encodes it in the login cookie', async () => {
    await page.goto(renewUrl());
    await signInWithForm('user+name', 'plus sign');
    await page.waitForURL(landingUrl());
    const cookies = await siteCookies();
    expect(cookies.get('shotgun_current_user_login')?.value).toBe('user%2Bname');
    const answer = await whoami(`_session_id=${cookies.get('_session_id')?.value ?? ''}`);
    expect(JSON.parse(answer.body)).toEqual({ user: 'user+name' });
  });

  it('asks for the one-time code after the password when started with otp', async () => {
    const otpLab = await startLab({ otp: true });
    try {
      await page.goto(renewUrl(otpLab));
      await signInWithForm('ada', 'lovelace');
      await page.locator('#otp').waitFor();
      await page.getByLabel('Code').fill('000000');
      await page.click('#submit');
      await expect(page.locator('#error').textContent()).resolves.toBe('Wrong code. Try again.');
      await page.getByLabel('Code').fill(otpLab.accounts.otpCode);
      await page.click('#submit');
      await page.waitForURL(landingUrl(otpLab));
      expect((await siteCookies(otpLab)).get('shotgun_current_user_login')?.value).toBe('ada');
    } finally {
      await otpLab.close();
    }
  });

  it('signs in with no page at all when autoLogin names an account', async () => {
    lab.idp.setAutoLogin('user name');
    const commits = recordCommits(page);
    await page.goto(renewUrl());
    await page.waitForURL(landingUrl());
    expect(commits.some((url) => url.includes('/interaction/'))).toBe(false);
    expect((await siteCookies()).get('shotgun_current_user_login')?.value).toBe('user%20name');
  });

  it('refuses an autoLogin that names no account', () => {
    expect(() => lab.idp.setAutoLogin('nobody')).toThrow(TypeError);
  });

  it('passes a second login straight through while the IdP session lives, and shows the form after endAllSessions', async () => {
    await page.goto(renewUrl());
    await signInWithForm('ada', 'lovelace');
    await page.waitForURL(landingUrl());
    const first = (await siteCookies()).get('_session_id')?.value;

    const commits = recordCommits(page);
    await page.goto(renewUrl());
    await page.waitForURL(landingUrl());
    expect(commits.some((url) => url.includes('/interaction/'))).toBe(false);
    const second = (await siteCookies()).get('_session_id')?.value;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);

    expect(lab.idp.endAllSessions()).toBeGreaterThanOrEqual(1);
    await page.goto(renewUrl());
    await expect(page.locator('#username').isVisible()).resolves.toBe(true);
  });

  it('rejects a callback whose state it did not issue', async () => {
    const answer = await requestLoopback(`${lab.site.url}/auth/sso/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'code=abc&state=forged',
    });
    expect(answer.status).toBe(400);
  });

  it('expires sessions after the configured lifetime and on revokeAllSessions', async () => {
    lab.idp.setAutoLogin('ada');
    lab.site.setSessionLifetime(60);
    await page.goto(renewUrl());
    await page.waitForURL(landingUrl());
    const value = (await siteCookies()).get('_session_id')?.value ?? '';
    expect((await whoami(`_session_id=${value}`)).status).toBe(200);
    clock.advance(59_999);
    expect((await whoami(`_session_id=${value}`)).status).toBe(200);
    clock.advance(1);
    expect((await whoami(`_session_id=${value}`)).status).toBe(401);

    lab.site.setSessionLifetime(3600);
    await page.goto(renewUrl());
    await page.waitForURL(landingUrl());
    const fresh = (await siteCookies()).get('_session_id')?.value ?? '';
    expect((await whoami(`_session_id=${fresh}`)).status).toBe(200);
    expect(lab.site.revokeAllSessions()).toBeGreaterThanOrEqual(1);
    expect((await whoami(`_session_id=${fresh}`)).status).toBe(401);
  });

  it('writes every issued session to secrets.txt under LATCHKEY_TEST_RUN_DIR', async () => {
    const saved = process.env['LATCHKEY_TEST_RUN_DIR'];
    const runDir = mkdtempSync(join(tmpdir(), 'latchkey-lab-'));
    process.env['LATCHKEY_TEST_RUN_DIR'] = runDir;
    try {
      lab.idp.setAutoLogin('ada');
      await page.goto(renewUrl());
      await page.waitForURL(landingUrl());
      const value = (await siteCookies()).get('_session_id')?.value ?? '';
      expect(readFileSync(join(runDir, 'secrets.txt'), 'utf8').split('\n')).toContain(value);
    } finally {
      if (saved === undefined) delete process.env['LATCHKEY_TEST_RUN_DIR'];
      else process.env['LATCHKEY_TEST_RUN_DIR'] = saved;
      rmSync(runDir, { recursive: true, force: true });
    }
  });
});

describe('SSO lab expiry cookie styles', () => {
  const cases: { style: LabOptions['expiryCookieStyle']; present: string[]; absent: string[] }[] = [
    { style: 'claims', present: ['shotgun_current_user_sso_claims_expiration'], absent: ['shotgun_sso_session_expiration_u42'] },
    { style: 'user-id', present: ['shotgun_sso_session_expiration_u42'], absent: ['shotgun_current_user_sso_claims_expiration'] },
    { style: 'none', present: [], absent: ['shotgun_current_user_sso_claims_expiration', 'shotgun_sso_session_expiration_u42'] },
  ];
  for (const { style, present, absent } of cases) {
    it(`sets the ${style} expiry cookie and no other`, async () => {
      const styled = await startLab({ expiryCookieStyle: style, autoLogin: 'ada', sessionLifetimeSeconds: 600, clock });
      try {
        const before = Date.now() / 1000;
        await page.goto(renewUrl(styled));
        await page.waitForURL(landingUrl(styled));
        const after = Date.now() / 1000;
        const cookies = await siteCookies(styled);
        for (const name of present) expect(Number(cookies.get(name)?.value)).toBe(Math.floor(clock.now() / 1000) + 600);
        for (const name of absent) expect(cookies.has(name)).toBe(false);
        // The cookie's own Max-Age runs on the browser's clock: it ends 600 s after it was set.
        const expires = cookies.get('_session_id')?.expires ?? 0;
        expect(expires).toBeGreaterThanOrEqual(Math.floor(before) + 600);
        expect(expires).toBeLessThanOrEqual(Math.ceil(after) + 600);
      } finally {
        await styled.close();
      }
    });
  }
});

describe('SSO lab failure switches', () => {
  it('renew_500: the renew URL answers 500', async () => {
    lab.site.setFailure('renew_500');
    const response = await page.goto(renewUrl());
    expect(response?.status()).toBe(500);
  });

  it('landing_500: the login reaches the landing page, which answers 500', async () => {
    lab.idp.setAutoLogin('ada');
    lab.site.setFailure('landing_500');
    const landing = page.waitForResponse((r) => r.url() === landingUrl());
    await page.goto(renewUrl());
    expect((await landing).status()).toBe(500);
  });

  it('no_cookie: the login lands without a session cookie', async () => {
    lab.idp.setAutoLogin('ada');
    lab.site.setFailure('no_cookie');
    const issued = lab.site.issuedSessions().length;
    await page.goto(renewUrl());
    await page.waitForURL(landingUrl());
    const cookies = await siteCookies();
    expect(cookies.has('_session_id')).toBe(false);
    expect(cookies.get('shotgun_current_user_login')?.value).toBe('ada');
    expect(lab.site.issuedSessions()).toHaveLength(issued);
  });

  it('redirect_loop: Chromium stops with ERR_TOO_MANY_REDIRECTS', async () => {
    lab.site.setFailure('redirect_loop');
    await expect(page.goto(renewUrl())).rejects.toThrow(/ERR_TOO_MANY_REDIRECTS/);
  });

  it('page_loop: two committed pages replace each other without end, until the switch is off', async () => {
    lab.site.setFailure('page_loop');
    const commits = recordCommits(page);
    const seven = new Promise<void>((resolve) => page.on('framenavigated', () => commits.length >= 7 && resolve()));
    await page.goto(renewUrl());
    await seven;
    const paths = commits.map((url) => new URL(url).pathname);
    expect(paths[0]).toBe('/auth/renew');
    expect(paths.slice(1, 7)).toEqual(['/auth/page-loop/b', '/auth/page-loop/a', '/auth/page-loop/b', '/auth/page-loop/a', '/auth/page-loop/b', '/auth/page-loop/a']);
    // Off, the next page of the loop stays put: the page can be closed with nothing in flight.
    lab.site.setFailure(null);
    await page.locator('#waiting').waitFor();
  });

  it('never_lands: the renew page stays put', async () => {
    lab.site.setFailure('never_lands');
    const commits = recordCommits(page);
    const response = await page.goto(renewUrl(), { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    // Nothing on the page can move it on: no script, no refresh, no form.
    expect(await page.evaluate('[document.scripts.length, document.querySelectorAll("meta[http-equiv=refresh i], form").length]')).toEqual([0, 0]);
    expect(commits).toEqual([renewUrl()]);
    await expect(page.locator('#waiting').isVisible()).resolves.toBe(true);
  });

  it('the HTTPS site fails in Chromium with a certificate error', async () => {
    expect(lab.site.tlsUrl).toBe(`https://studio.localhost:${lab.site.tlsPort}`);
    await expect(page.goto(`${lab.site.tlsUrl}/auth/renew?product=test`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
  });

  it('idp.stop() refuses connections and idp.start() brings the same IdP back on its port', async () => {
    lab.idp.setAutoLogin('ada');
    await lab.idp.stop();
    await expect(page.goto(renewUrl())).rejects.toThrow(/ERR_CONNECTION_REFUSED/);
    await expect(requestLoopback(`${lab.idp.url}/.well-known/openid-configuration`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await lab.idp.start();
    // Chromium commits its error page (chrome-error://chromewebdata/) just after a failed
    // navigation, which would interrupt the next one: go on in a new tab.
    await page.close();
    page = await context.newPage();
    await page.goto(renewUrl());
    await page.waitForURL(landingUrl());
  });
});
