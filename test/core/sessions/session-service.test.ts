import { describe, expect, it } from 'vitest';
import { maxTimerStepMs } from '../../../core/clock.ts';
import type { AgentEvent } from '../../../core/common/views.ts';
import { MemoryVault } from '../../../core/sessions/memory-vault.ts';
import { SessionService } from '../../../core/sessions/session-service.ts';
import { SessionStore } from '../../../core/sessions/session-store.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { cookie, ScriptedLoginWindows } from '../../support/scripted-login-window.ts';
import { testSite } from '../../support/sites.ts';

const site = testSite('https://studio.example.com');
const landing = 'https://studio.example.com/auth/landing';
const minute = 60_000;
const day = 24 * 60 * minute;

/**
 * A scripted identity provider: interactive windows always land; silent ones land only while
 * `idpSessionAlive` (else they stop on the identity provider's form); each landing sets a new
 * session cookie. Every timer runs on the test's manual clock.
 */
async function makeService(options: { neverLands?: boolean } = {}) {
  const clock = new ManualClock();
  const idp = { idpSessionAlive: true, logins: 0 };
  const windows = new ScriptedLoginWindows((emit, self) => {
    if (options.neverLands === true) return;
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
  const sessions = new SessionService({ store, windows, clock, timeouts: { interactiveMs: 2_000, silentMs: 2_000, settleMs: 20 } });
  return { sessions, store, windows, idp, clock };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => new Error('expected a rejection'), (error: unknown) => error);
}

/** Resolves with the next event of `sessions` that `match` accepts. */
function nextEvent(sessions: SessionService, match: (event: AgentEvent) => boolean): Promise<AgentEvent> {
  return new Promise((resolve) => {
    const stop = sessions.onEvent((event) => {
      if (!match(event)) return;
      stop();
      resolve(event);
    });
  });
}

const loginFinished = (event: AgentEvent): boolean => event.type === 'login' && event.phase === 'finished';

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
    const { sessions, windows, clock } = await makeService();
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
    const { sessions, clock } = await makeService();
    const aged = { ...site, profile: { ...site.profile, maxAgeMinutes: 30 } };
    await sessions.login(aged, { force: false });
    clock.advance(29 * minute);
    expect(sessions.state(aged)).toBe('valid');
    clock.advance(minute);
    expect(sessions.state(aged)).toBe('expired');
  });

  it('never opens a window for a caller that allows only silent renewal', async () => {
    const { sessions, windows, idp, clock } = await makeService();
    await sessions.login(site, { force: false });
    idp.idpSessionAlive = false;
    sessions.invalidate(site);
    const waiting = rejection(sessions.acquire(site, { waitMs: 5_000, prompt: false, client: null }));
    // The hidden window sits on the identity provider's form: once it has settled there, the person is needed.
    await clock.whenTimer('silent settle');
    clock.runTimer('silent settle');
    expect(await waiting).toMatchObject({ code: 'login_required', details: { ending: 'timeout' } });
    expect(windows.opened.map((options) => options.visible)).toEqual([true, false]);
  });

  it('falls back to the window when silent renewal needs the person and prompting is allowed', async () => {
    const { sessions, windows, idp, clock } = await makeService();
    await sessions.login(site, { force: false });
    idp.idpSessionAlive = false;
    sessions.invalidate(site);
    const waiting = sessions.acquire(site, { waitMs: 5_000, prompt: true, client: null });
    await clock.whenTimer('silent settle');
    clock.runTimer('silent settle');
    const grant = await waiting;
    expect(grant.source).toBe('login');
    expect(windows.opened.map((options) => options.visible)).toEqual([true, false, true]);
  });

  it('renews in the background after a client reports the session rejected', async () => {
    const { sessions } = await makeService();
    await sessions.login(site, { force: false });
    const renewed = nextEvent(sessions, loginFinished);
    sessions.invalidate(site);
    expect(sessions.state(site)).toBe('invalid');
    expect(await renewed).toMatchObject({ ending: 'ok' });
    expect(sessions.state(site)).toBe('valid');
    expect((await sessions.acquire(site, { waitMs: 0, prompt: false, client: null })).credential.value).toBe('session-2');
  });

  it('renews silently at 90 % of a known lifetime, and not before', async () => {
    const { sessions, store, windows, clock } = await makeService();
    const now = clock.now();
    await store.put({ siteId: site.id, siteUrl: site.url, user: 'ada', credential: { kind: 'cookie', name: '_session_id', value: 'old' }, cookies: [], obtainedAt: now, expiresAt: now + 10 * minute });
    sessions.scheduleRenewals([site]);
    expect(clock.pending()).toEqual([{ due: now + 9 * minute, delay: 9 * minute, name: 'renewal' }]);
    clock.advance(9 * minute - 1);
    expect(windows.opened).toEqual([]);
    const renewed = nextEvent(sessions, loginFinished);
    clock.advance(1);
    expect(await renewed).toMatchObject({ ending: 'ok' });
    expect(windows.opened.map((options) => options.visible)).toEqual([false]);
    expect(store.get(site.id)?.credential.value).toBe('session-1');
    sessions.close();
  });

  it('after the wall clock jumps hours ahead (a laptop waking), judges the session by the new time and renews it once', async () => {
    const { sessions, store, windows, clock } = await makeService();
    const before = clock.now();
    await store.put({ siteId: site.id, siteUrl: site.url, user: 'ada', credential: { kind: 'cookie', name: '_session_id', value: 'old' }, cookies: [], obtainedAt: before, expiresAt: before + 60 * minute });
    sessions.scheduleRenewals([site]);
    clock.jump(3 * 60 * minute);
    // Its renewal timer has not run yet (the process slept), but the session is judged by the clock.
    expect(sessions.state(site)).toBe('expired');
    const grant = await sessions.acquire(site, { waitMs: minute, prompt: false, client: 'test' });
    expect(grant).toMatchObject({ source: 'renewed', credential: { value: 'session-1' }, obtainedAt: new Date(clock.now()).toISOString() });
    // The late timer finds the session renewed: no second renewal.
    clock.advance(0);
    expect(windows.opened.map((options) => options.visible)).toEqual([false]);
    sessions.close();
  });

  it('waits out a renewal further away than a timer can count in one step, without renewing early', async () => {
    const { sessions, store, windows, clock } = await makeService();
    const now = clock.now();
    // A session of 30 days: its renewal is due after 27 days, beyond 2^31-1 ms.
    await store.put({ siteId: site.id, siteUrl: site.url, user: 'ada', credential: { kind: 'cookie', name: '_session_id', value: 'old' }, cookies: [], obtainedAt: now, expiresAt: now + 30 * day });
    sessions.scheduleRenewals([site]);
    const [renewal] = clock.pending();
    expect(renewal?.delay).toBe(27 * day);
    expect(renewal?.delay).toBeGreaterThan(maxTimerStepMs);
    clock.advance(maxTimerStepMs);
    expect(windows.opened).toEqual([]);
    sessions.close();
    expect(clock.pending()).toEqual([]);
  });

  it('does not store the result of a login that a logout overtook, and ends that login', async () => {
    const { sessions, store, windows } = await makeService({ neverLands: true });
    const login = rejection(sessions.login(site, { force: false }));
    await sessions.logout(site);
    expect(await login).toMatchObject({ code: 'login_cancelled' });
    expect(windows.closedCount).toBe(1);
    expect(store.get(site.id)).toBeUndefined();
    expect(sessions.state(site)).toBe('none');
    expect(sessions.isLoggingIn(site.id)).toBe(false);
  });

  it('gives up waiting after the caller wait, while the login goes on', async () => {
    const { sessions, clock } = await makeService({ neverLands: true });
    const waiting = rejection(sessions.acquire(site, { waitMs: 100, prompt: true, client: null }));
    await clock.whenTimer('caller wait');
    clock.runTimer('caller wait');
    expect(await waiting).toMatchObject({ code: 'login_timeout' });
    expect(sessions.isLoggingIn(site.id)).toBe(true);
  });

  it('stops waiting when the caller goes away', async () => {
    const { sessions } = await makeService({ neverLands: true });
    const gone = new AbortController();
    const waiting = rejection(sessions.acquire(site, { waitMs: 5_000, prompt: true, client: null, signal: gone.signal }));
    gone.abort();
    expect(await waiting).toMatchObject({ code: 'login_cancelled' });
  });

  it('ends a login at its deadline', async () => {
    const { sessions, clock } = await makeService({ neverLands: true });
    const login = rejection(sessions.login(site, { force: false }));
    await clock.whenTimer('login deadline');
    clock.runTimer('login deadline');
    expect(await login).toMatchObject({ code: 'login_timeout', details: { ending: 'timeout' } });
  });
});
