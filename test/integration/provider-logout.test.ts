import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoginProfile } from '../../core/common/profile.ts';
import type { Session } from '../../core/sessions/session.ts';
import type { LogoutReport } from '../../core/common/views.ts';
import type { Page } from 'playwright-core';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { requestLoopback, startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../support/engine.ts';

// Logout ends sessions where they live (issue 11, item 4), against the lab's real OpenID Provider:
// the refresh token revoked (RFC 7009), so the provider's token endpoint refuses it afterwards;
// with `everywhere`, Latchkey's session at the provider ended too (RP-Initiated Logout, in a
// hidden window with the site's login profile); and what could not be ended is reported, while
// the local session is gone in every case.

let lab: Lab;
let engine: TestEngine;

function cloudSite(id: string, profile: Partial<LoginProfile> = {}): Site {
  const created = newSite({ url: lab.cloud.url, preset: 'cloudshell', profile: { issuer: lab.idp.issuer, clientId: lab.cloud.clientId, ...profile } }, []);
  return { ...created, id };
}

async function loggedIn(site: Site): Promise<Session> {
  await engine.sessions.login(site, { force: true });
  const session = engine.store.get(site.id);
  if (session === undefined) throw new Error('no session after the login');
  return session;
}

/** The provider's answer to a refresh with `refreshToken`, as any client holding it would ask. */
async function refreshWith(refreshToken: string, clientId: string): Promise<{ status: number; error: unknown }> {
  const answer = await requestLoopback(lab.idp.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }).toString(),
  });
  return { status: answer.status, error: (JSON.parse(answer.body) as Record<string, unknown>)['error'] ?? null };
}

/**
 * Logs out `everywhere` while the logout window's page is watched: once `reached` resolves there, the
 * page is left to settle, which on the manual clock the test ends by running the settle timer.
 */
async function logoutSettled(site: Site, reached: (page: Page) => Promise<unknown>): Promise<LogoutReport> {
  const there = Promise.withResolvers<void>();
  engine.setPerson(async (page) => {
    await reached(page);
    there.resolve();
  });
  try {
    const logout = engine.sessions.logout(site, { everywhere: true });
    await there.promise;
    engine.clock.runTimer((await engine.clock.whenTimer('logout settle')).name);
    return await logout;
  } finally {
    engine.setPerson(null);
  }
}

beforeAll(async () => {
  lab = await startLab({ autoLogin: 'ada' });
  engine = await makeTestEngine('provider-logout');
});

afterAll(async () => {
  engine.sessions.close();
  await lab.close();
});

afterEach(async () => {
  await lab.idp.start();
});

describe('logout of an oidc site', () => {
  it('revokes the refresh token at the provider: nobody can renew with it afterwards', async () => {
    const site = cloudSite('cloud-revoke');
    const session = await loggedIn(site);
    const refreshToken = session.refreshToken ?? '';
    // The same request with a live token of another login renews: the refusal below is the revocation's doing.
    const control = await loggedIn(cloudSite('cloud-control'));
    expect((await refreshWith(control.refreshToken ?? '', lab.cloud.clientId)).status).toBe(200);
    const report = await engine.sessions.logout(site);
    expect(report).toEqual({ site: 'cloud-revoke', localOnly: false, steps: [{ step: 'token_revocation', ok: true, detail: 'The refresh token was revoked.' }] });
    expect(engine.store.get(site.id)).toBeUndefined();
    expect(await refreshWith(refreshToken, lab.cloud.clientId)).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('with everywhere, also ends Latchkey’s session at the provider, coming back to the registered page', async () => {
    const site = cloudSite('cloud-everywhere', { logoutRedirectUris: [lab.cloud.loggedOutUri] });
    await loggedIn(site);
    const sessionsBefore = lab.idp.sessionCount();
    const report = await engine.sessions.logout(site, { everywhere: true });
    expect(report.steps).toEqual([
      { step: 'provider_session', ok: true, detail: "Latchkey's session at the identity provider was ended." },
      { step: 'token_revocation', ok: true, detail: 'The refresh token was revoked.' },
    ]);
    expect(lab.idp.sessionCount()).toBe(sessionsBefore - 1);
  });

  it("with no post-logout page registered, takes the provider's own signed-out page, once it has settled, for the end", async () => {
    const site = cloudSite('cloud-no-comeback');
    await loggedIn(site);
    const sessionsBefore = lab.idp.sessionCount();
    const report = await logoutSettled(site, (page) => page.waitForURL((url) => url.pathname.endsWith('/session/end/success'), { waitUntil: 'load' }));
    expect(report.steps[0]).toEqual({ step: 'provider_session', ok: true, detail: "Latchkey's session at the identity provider was ended." });
    expect(lab.idp.sessionCount()).toBe(sessionsBefore - 1);
  });

  it('says so when the provider asks a person to confirm the logout, and the local session is gone all the same', async () => {
    const site = cloudSite('cloud-confirm', { logoutRedirectUris: [lab.cloud.loggedOutUri] });
    await loggedIn(site);
    const sessionsBefore = lab.idp.sessionCount();
    lab.idp.setLogoutQuestion(true);
    try {
      const report = await logoutSettled(site, (page) => page.locator('#logout').waitFor());
      expect(report.steps[0]).toEqual({ step: 'provider_session', ok: false, detail: 'The identity provider asks a person to confirm the logout.' });
      // Nobody confirmed: the provider's session lives on; the refresh token is revoked and the local session gone.
      expect(lab.idp.sessionCount()).toBe(sessionsBefore);
      expect(report.steps[1]).toMatchObject({ step: 'token_revocation', ok: true });
      expect(engine.store.get(site.id)).toBeUndefined();
    } finally {
      lab.idp.setLogoutQuestion(false);
    }
  });

  it('reports what could not be ended, and the local session is gone all the same', async () => {
    const site = cloudSite('cloud-provider-down');
    await loggedIn(site);
    await lab.idp.stop();
    const report = await engine.sessions.logout(site, { everywhere: true });
    expect(report.localOnly).toBe(true);
    expect(report.steps.map((step) => [step.step, step.ok])).toEqual([['provider_session', false], ['token_revocation', false]]);
    expect(report.steps[1]?.detail).toContain('could not be reached');
    expect(engine.store.get(site.id)).toBeUndefined();
  });
});

describe('logout of a cookie site', () => {
  it("calls the site's logout path, or says the logout was local only", async () => {
    const withPath: Site = { ...newSite({ url: lab.site.url, preset: 'shotgrid', profile: { logoutPath: '/auth/logout' } }, []), id: 'studio-logout' };
    await loggedIn(withPath);
    const logoutsBefore = lab.site.logouts();
    expect(await engine.sessions.logout(withPath, { everywhere: true })).toEqual({
      site: 'studio-logout',
      localOnly: false,
      steps: [{ step: 'site_logout', ok: true, detail: "The site's logout path was called." }],
    });
    expect(lab.site.logouts()).toBe(logoutsBefore + 1);

    const without: Site = { ...newSite({ url: lab.site.url, preset: 'shotgrid' }, []), id: 'studio-local' };
    await loggedIn(without);
    expect(await engine.sessions.logout(without, { everywhere: true })).toEqual({ site: 'studio-local', localOnly: true, steps: [] });
  });
});
