import { describe, expect, it } from 'vitest';
import { MemoryVault } from '../../../core/sessions/memory-vault.ts';
import { SessionService } from '../../../core/sessions/session-service.ts';
import { SessionStore } from '../../../core/sessions/session-store.ts';
import { cookie, ScriptedLoginWindows } from '../../support/scripted-login-window.ts';
import { testSite } from '../../support/sites.ts';

const site = testSite('https://studio.example.com');
const landing = 'https://studio.example.com/auth/landing';
const minute = 60_000;

/** A clock the test moves by hand. */
function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

/**
 * A scripted identity provider: interactive windows always land; silent ones land only while
 * `idpSessionAlive`; each landing sets a new session cookie.
 */
async function makeService(options: { clock?: { now(): number } } = {}) {
  const idp = { idpSessionAlive: true, logins: 0 };
  const windows = new ScriptedLoginWindows((emit, self) => {
    if (self.opened.at(-1)?.visible === true || idp.idpSessionAlive) {
      idp.logins += 1;
      self.cookieJar = [cookie('_session_id', `session-${idp.logins}`)];
      emit({ kind: 'committed', url: landing, status: 200 });
    } else {
      emit({ kind: 'committed', url: 'https://idp.example.com/login', status: 200 });
      emit({ kind: 'loaded', url: 'https://idp.example.com/login' });
    }
  });
  const store = await SessionStore.open(new MemoryVault());
  const sessions = new SessionService({ store, windows, timeouts: { interactiveMs: 2_000, silentMs: 2_000, settleMs: 20 }, ...(options.clock ? { clock: options.clock } : {}) });
  return { sessions, store, windows, idp };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => new Error('expected a rejection'), (error: unknown) => error);
}

describe('SessionService', () => {
  it('answers login_required at once when asked not to wait', async () => {
    const { sessions, windows } = await makeService();
    expect(await rejection(sessions.acquire(site, { waitMs: 0, prompt: true, client: null }))).toMatchObject({ code: 'login_required' });
    expect(windows.opened).toEqual([]);
  });

  it('runs one login for many waiting callers, and every caller gets its session', async () => {
    const { sessions, windows } = await makeService();
    const grants = await Promise.all(Array.from({ length: 50 }, (_, i) => sessions.acquire(site, { waitMs: 5_000, prompt: true, client: `c${i}` })));
    expect(windows.opened).toHaveLength(1);
    expect(new Set(grants.map((grant) => grant.credential.value))).toEqual(new Set(['session-1']));
    expect(grants[0]?.source).toBe('login');
    expect(sessions.activity()).toHaveLength(50);
  });

  it('hands out the stored session while it is valid, recording the client', async () => {
    const { sessions, windows } = await makeService();
    await sessions.login(site, { force: false });
    const grant = await sessions.acquire(site, { waitMs: 0, prompt: false, client: 'my-script' });
    expect(grant).toMatchObject({ source: 'store', credential: { value: 'session-1' }, headers: { Cookie: '_session_id=session-1' } });
    expect(sessions.activity()[0]).toMatchObject({ site: 'studio', client: 'my-script' });
    expect(windows.opened).toHaveLength(1);
  });

  it('renews silently once the inactivity timeout has passed', async () => {
    const clock = manualClock();
    const { sessions, windows } = await makeService({ clock });
    await sessions.login(site, { force: false });
    clock.advance(1439 * minute);
    expect(sessions.state(site)).toBe('valid');
    await sessions.acquire(site, { waitMs: 0, prompt: false, client: null });
    clock.advance(1439 * minute);
    expect(sessions.state(site)).toBe('valid');
    clock.advance(2 * minute);
    expect(sessions.state(site)).toBe('expired');
    const grant = await sessions.acquire(site, { waitMs: 5_000, prompt: false, client: null });
    expect(grant).toMatchObject({ source: 'renewed', credential: { value: 'session-2' } });
    expect(windows.opened.map((options) => options.visible)).toEqual([true, false]);
  });

  it('expires a session at its maximum age', async () => {
    const clock = manualClock();
    const { sessions } = await makeService({ clock });
    const aged = { ...site, profile: { ...site.profile, maxAgeMinutes: 30 } };
    await sessions.login(aged, { force: false });
    clock.advance(29 * minute);
    expect(sessions.state(aged)).toBe('valid');
    clock.advance(minute);
    expect(sessions.state(aged)).toBe('expired');
  });

  it('never opens a window for a caller that allows only silent renewal', async () => {
    const { sessions, windows, idp } = await makeService();
    await sessions.login(site, { force: false });
    idp.idpSessionAlive = false;
    sessions.invalidate(site);
    const error = await rejection(sessions.acquire(site, { waitMs: 5_000, prompt: false, client: null }));
    expect(error).toMatchObject({ code: 'login_required' });
    expect(windows.opened.map((options) => options.visible)).toEqual([true, false]);
  });

  it('falls back to the window when silent renewal needs the person and prompting is allowed', async () => {
    const { sessions, windows, idp } = await makeService();
    await sessions.login(site, { force: false });
    idp.idpSessionAlive = false;
    sessions.invalidate(site);
    const grant = await sessions.acquire(site, { waitMs: 5_000, prompt: true, client: null });
    expect(grant.source).toBe('login');
    expect(windows.opened.map((options) => options.visible)).toEqual([true, false, true]);
  });

  it('renews in the background after a client reports the session rejected', async () => {
    const { sessions } = await makeService();
    await sessions.login(site, { force: false });
    sessions.invalidate(site);
    expect(sessions.state(site)).toBe('invalid');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sessions.state(site)).toBe('valid');
    expect((await sessions.acquire(site, { waitMs: 0, prompt: false, client: null })).credential.value).toBe('session-2');
  });

  it('renews silently at 90 % of a known lifetime', async () => {
    const { sessions, store, windows } = await makeService();
    const now = Date.now();
    await store.put({ siteId: site.id, siteUrl: site.url, user: 'ada', credential: { kind: 'cookie', name: '_session_id', value: 'old' }, cookies: [], obtainedAt: now, expiresAt: now + 400 });
    sessions.scheduleRenewals([site]);
    await new Promise((resolve) => setTimeout(resolve, 330));
    expect(windows.opened).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(windows.opened.map((options) => options.visible)).toEqual([false]);
    expect(store.get(site.id)?.credential.value).toBe('session-1');
    sessions.close();
  });

  it('does not store the result of a login that a logout overtook', async () => {
    const { sessions, store } = await makeService();
    const login = sessions.login(site, { force: false });
    await sessions.logout(site);
    await login;
    expect(store.get(site.id)).toBeUndefined();
    expect(sessions.state(site)).toBe('none');
  });

  it('gives up waiting after the caller wait, while the login goes on', async () => {
    const windows = new ScriptedLoginWindows(() => undefined); // never lands
    const sessions = new SessionService({ store: await SessionStore.open(new MemoryVault()), windows, timeouts: { interactiveMs: 1_000 } });
    expect(await rejection(sessions.acquire(site, { waitMs: 100, prompt: true, client: null }))).toMatchObject({ code: 'login_timeout' });
    expect(sessions.isLoggingIn(site.id)).toBe(true);
  });
});
