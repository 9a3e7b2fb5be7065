import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChromiumLoginWindows } from '../../core/browser/chromium-login-window.ts';
import { hasCode } from '../../core/common/errors.ts';
import { homePaths } from '../../core/home.ts';
import { runLogin } from '../../core/login/login-flow.ts';
import { FileVault } from '../../core/sessions/file-vault.ts';
import { SessionStore } from '../../core/sessions/session-store.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { requestLoopback, startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, typesLogin, type TestEngine } from '../support/engine.ts';

let lab: Lab;
let engine: TestEngine;
let site: Site;

async function apiStatus(value: string): Promise<number> {
  return (await requestLoopback(`${lab.site.url}/api/whoami`, { headers: { Cookie: `_session_id=${value}` } })).status;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => new Error('expected a rejection'), (error: unknown) => error);
}

beforeAll(async () => {
  lab = await startLab();
  engine = await makeTestEngine('renewal');
  site = newSite({ url: lab.site.url }, []);
});

afterAll(async () => {
  engine.sessions.close();
  await lab.close();
});

afterEach(() => {
  lab.site.setFailure(null);
  lab.idp.setAutoLogin(null);
  engine.setPerson(null);
});

describe('silent renewal', () => {
  it('yields a new session in a hidden window without any form while the identity provider session lives', async () => {
    engine.setPerson(typesLogin('ada', 'lovelace'));
    await engine.sessions.login(site, { force: true });
    const first = engine.store.get(site.id);
    expect(first?.user).toBe('ada');

    // Were the form shown, the person would close the window: the login would end cancelled, not ok.
    engine.setPerson(async (page) => {
      await page.locator('#username').waitFor({ timeout: 0 });
      await page.close();
    });
    const opened = engine.opened.length;
    const result = await runLogin({ site, windows: engine.windows, interactive: false, clock: engine.clock });
    expect(result.ending).toBe('ok');
    if (result.ending !== 'ok') return;
    expect(engine.opened.slice(opened)).toEqual([{ visible: false }]);
    expect(result.session.user).toBe('ada');
    expect(result.session.credential.value).not.toBe(first?.credential.value);
    expect(await apiStatus(result.session.credential.value)).toBe(200);
  });

  it('says the person is needed once the identity provider has ended the session, and keeps the stored one', async () => {
    engine.setPerson(typesLogin('ada', 'lovelace'));
    await engine.sessions.login(site, { force: true });
    const before = engine.store.get(site.id);
    engine.setPerson(null);
    expect(lab.idp.endAllSessions()).toBeGreaterThan(0);

    const running = runLogin({ site, windows: engine.windows, interactive: false, clock: engine.clock });
    // The hidden window stops at the identity provider's form; once it has settled there, the person is needed.
    await engine.clock.whenTimer('silent settle');
    engine.clock.runTimer('silent settle');
    expect(await running).toMatchObject({ ending: 'timeout', needsPerson: true });

    // Through the service the same failure is `login_required` for a caller that forbids prompting.
    engine.sessions.invalidate(site);
    const acquiring = rejection(engine.sessions.acquire(site, { waitMs: 15_000, prompt: false, client: 'test' }));
    await engine.clock.whenTimer('silent settle');
    engine.clock.runTimer('silent settle');
    const error = await acquiring;
    expect(hasCode(error, 'login_required')).toBe(true);
    expect(engine.store.get(site.id)).toEqual(before);
  });
});

describe('a failed login', () => {
  it('never replaces or removes a session that is still valid', async () => {
    lab.idp.setAutoLogin('ada');
    await engine.sessions.login(site, { force: true });
    const valid = engine.store.get(site.id);
    expect(valid).toBeDefined();
    if (!valid) return;
    // The browser profile holds that same cookie; the next interactive login must delete it rather than capture it.
    lab.site.setFailure('no_cookie');
    const error = await rejection(engine.sessions.login(site, { force: true }));
    expect(hasCode(error, 'login_failed')).toBe(true);
    expect(error).toMatchObject({ details: { ending: 'incomplete' } });

    lab.site.setFailure('landing_500');
    expect(await rejection(engine.sessions.login(site, { force: true }))).toMatchObject({ code: 'login_failed', details: { ending: 'http_error', status: 500 } });

    await lab.idp.stop();
    try {
      expect(await rejection(engine.sessions.login(site, { force: true }))).toMatchObject({ details: { ending: 'network_error' } });
    } finally {
      await lab.idp.start();
    }

    expect(engine.store.get(site.id)).toEqual(valid);
    expect(engine.sessions.state(site)).toBe('valid');
    expect(await apiStatus(valid.credential.value)).toBe(200);
  });

  it('leaves the session on disk readable by a new store (a restart keeps sessions)', async () => {
    lab.idp.setAutoLogin('ada');
    await engine.sessions.login(site, { force: true });
    const reopened = await SessionStore.open(new FileVault({ path: homePaths(engine.home.dir).sessions }));
    expect(reopened.get(site.id)).toEqual(engine.store.get(site.id));
    expect(reopened.protection).toBe('plaintext');
  });
});

describe('the Chromium login window', () => {
  it('refuses popups, downloads and permission requests', async () => {
    lab.site.setFailure('never_lands');
    let checked: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (checked = resolve));
    const seen: { pages?: number; permission?: string; download?: string | null } = {};
    engine.setPerson(async (page) => {
      await page.waitForURL(/\/auth\/renew/, { waitUntil: 'load', timeout: 0 });
      // Each popup appears in the context and is closed there by the login window.
      const closings: Array<Promise<void>> = [];
      let both: () => void = () => undefined;
      const twoPopups = new Promise<void>((resolve) => (both = resolve));
      page.context().on('page', (popup) => {
        closings.push(popup.isClosed() ? Promise.resolve() : popup.waitForEvent('close', { timeout: 0 }).then(() => undefined));
        if (closings.length === 2) both();
      });
      await page.evaluate('window.open("about:blank", "_blank"); window.open("/", "other");');
      await twoPopups;
      await Promise.all(closings);
      seen.pages = page.context().pages().length;
      seen.permission = String(await page.evaluate('Notification.requestPermission()'));
      const download = page.waitForEvent('download', { timeout: 0 });
      await page.evaluate(`(() => { const a = document.createElement('a'); a.href = 'data:text/plain,payload'; a.download = 'x.txt'; document.body.append(a); a.click(); })()`);
      seen.download = await (await download).failure();
      checked();
    });
    const running = runLogin({ site, windows: engine.windows, interactive: true, clock: engine.clock });
    await done;
    engine.clock.runTimer('login deadline');
    expect((await running).ending).toBe('timeout');
    // Playwright's word for a download the context refused to accept.
    expect(seen).toEqual({ pages: 1, permission: 'denied', download: expect.stringContaining('acceptDownloads') });
  });

  it('reports a missing browser with how to install one', async () => {
    const saved = process.env['LATCHKEY_BROWSER'];
    process.env['LATCHKEY_BROWSER'] = '/nonexistent/chrome';
    try {
      const windows = new ChromiumLoginWindows({ profilesDir: homePaths(engine.home.dir).profiles });
      const error = await rejection(runLogin({ site, windows, interactive: false }));
      expect(error).toMatchObject({ code: 'browser_not_found' });
      expect((error as { hint: string }).hint).toMatch(/install/i);
    } finally {
      if (saved === undefined) delete process.env['LATCHKEY_BROWSER'];
      else process.env['LATCHKEY_BROWSER'] = saved;
    }
  });

  const display = Boolean(process.env['DISPLAY']);
  if (!display) console.log('SKIP visible login window test: no DISPLAY (npm test runs it under xvfb-run)');
  it.skipIf(!display)('logs in through a visible window', async () => {
    const visible = await makeTestEngine('visible', { visible: true });
    visible.setPerson(typesLogin('ada', 'lovelace'));
    await visible.sessions.login(site, { force: true });
    expect(visible.opened).toEqual([{ visible: true }]);
    expect(visible.store.get(site.id)?.user).toBe('ada');
  });
});
