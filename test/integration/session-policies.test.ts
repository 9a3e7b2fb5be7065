import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newSite } from '../../core/sites/new-site.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../support/engine.ts';

let lab: Lab;
let engine: TestEngine;
let other: Server;
let otherUrl = '';
let otherHits = 0;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => new Error('expected a rejection'), (error: unknown) => error);
}

/** The outcome of a silent-only acquire that stops at the identity provider's form, once it has settled there. */
async function settled(acquiring: Promise<unknown>): Promise<unknown> {
  const outcome = rejection(acquiring);
  await engine.clock.whenTimer('silent settle');
  engine.clock.runTimer('silent settle');
  return outcome;
}

beforeAll(async () => {
  lab = await startLab({ autoLogin: 'ada' });
  // Every hand-out probes the validation path, so the tests need not wait out the probe interval.
  engine = await makeTestEngine('policies', { validateEveryMs: 0 });
  // Stands for an identity provider's end-session endpoint (or an attacker's page): it counts visits.
  other = createServer((_, res) => {
    otherHits += 1;
    res.end('logged out');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  const address = other.address();
  otherUrl = `http://elsewhere.localhost:${typeof address === 'object' && address ? address.port : 0}/logged-out`;
});

afterAll(async () => {
  engine.sessions.close();
  other.close();
  await lab.close();
});

afterEach(() => {
  lab.idp.setAutoLogin('ada');
  lab.site.setLogoutRedirect(null);
  otherHits = 0;
});

describe('the validation path', () => {
  it('marks a session invalid once the identity provider has ended the user sessions, and renewal then needs the person', async () => {
    const site = newSite({ url: lab.site.url, profile: { validatePath: '/api/whoami' } }, []);
    await engine.sessions.login(site, { force: true });
    expect((await engine.sessions.acquire(site, { waitMs: 0, prompt: false, client: 'test' })).source).toBe('store');

    // A password change: the site's sessions and the identity provider's sessions all end.
    lab.site.revokeAllSessions();
    lab.idp.endAllSessions();
    lab.idp.setAutoLogin(null);
    const error = await settled(engine.sessions.acquire(site, { waitMs: 15_000, prompt: false, client: 'test' }));
    expect(error).toMatchObject({ code: 'login_required' });
    expect(engine.sessions.state(site)).toBe('invalid');
  });

  it('probes a query-mode site with its key in the query', async () => {
    const site = newSite({ url: lab.querySite.url, preset: 'query-key', profile: { validatePath: '/api/whoami' } }, []);
    await engine.sessions.login(site, { force: true });
    expect((await engine.sessions.acquire(site, { waitMs: 0, prompt: false, client: 'test' })).source).toBe('store');
    lab.querySite.revokeAllKeys();
    lab.idp.endAllSessions();
    lab.idp.setAutoLogin(null);
    expect(await settled(engine.sessions.acquire(site, { waitMs: 15_000, prompt: false, client: 'test' }))).toMatchObject({ code: 'login_required' });
  });

  it('keeps a session the site still accepts', async () => {
    const site = newSite({ url: lab.site.url, profile: { validatePath: '/api/whoami' } }, []);
    await engine.sessions.login(site, { force: true });
    const first = await engine.sessions.acquire(site, { waitMs: 0, prompt: false, client: 'test' });
    expect(first.source).toBe('store');
    expect(engine.sessions.state(site)).toBe('valid');
  });
});

describe('logout', () => {
  it('calls the logout path and follows its redirect to a registered URI', async () => {
    const site = newSite({ url: lab.site.url, profile: { logoutPath: '/auth/logout', logoutRedirectUris: [otherUrl] } }, []);
    await engine.sessions.login(site, { force: true });
    const before = lab.site.logouts();
    lab.site.setLogoutRedirect(otherUrl);
    await engine.sessions.logout(site);
    expect(lab.site.logouts()).toBe(before + 1);
    expect(otherHits).toBe(1);
    expect(engine.sessions.state(site)).toBe('none');
    expect(engine.store.get(site.id)).toBeUndefined();
  });

  it('never follows a logout redirect to a URI that is not registered', async () => {
    const site = newSite({ url: lab.site.url, profile: { logoutPath: '/auth/logout' } }, []);
    await engine.sessions.login(site, { force: true });
    const before = lab.site.logouts();
    lab.site.setLogoutRedirect(otherUrl);
    await engine.sessions.logout(site);
    expect(lab.site.logouts()).toBe(before + 1);
    expect(otherHits).toBe(0);
    expect(engine.sessions.state(site)).toBe('none');
  });

  it('clears the browser profile, so the next login needs the identity provider again', async () => {
    const site = newSite({ url: lab.site.url }, []);
    await engine.sessions.login(site, { force: true });
    await engine.sessions.logout(site);
    lab.idp.setAutoLogin(null);
    // With the profile gone there are no identity-provider cookies: a silent renewal cannot succeed.
    const error = await settled(engine.sessions.acquire(site, { waitMs: 15_000, prompt: false, client: 'test' }));
    expect(error).toMatchObject({ code: 'login_required' });
  });
});
