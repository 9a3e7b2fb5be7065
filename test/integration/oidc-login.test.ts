import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLogin } from '../../core/login/login-flow.ts';
import type { Session } from '../../core/sessions/session.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { LoginProfile } from '../../core/common/profile.ts';
import type { Site } from '../../core/sites/site.ts';
import { requestLoopback, startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, typesLogin, type TestEngine } from '../support/engine.ts';

// oidc mode (CloudShell API SSO) in real Chromium against the lab's OpenID Provider: authorization
// code with PKCE in the window, tokens on the back channel, the ID token exchanged at the lab
// cloud's /api/login for an API token, and renewal from the refresh token without any window.

let lab: Lab;
let engine: TestEngine;
let site: Site;

function cloudSite(id: string, profile: Partial<LoginProfile> = {}): Site {
  const created = newSite({ url: lab.cloud.url, preset: 'cloudshell', profile: { issuer: lab.idp.issuer, clientId: lab.cloud.clientId, ...profile } }, []);
  return { ...created, id };
}

async function whoami(token: string): Promise<{ status: number; body: unknown }> {
  const answer = await requestLoopback(`${lab.cloud.url}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });
  return { status: answer.status, body: answer.status === 200 ? JSON.parse(answer.body) : null };
}

function login(target: Site, options: { interactive?: boolean; storedSession?: Session } = {}) {
  return runLogin({ site: target, windows: engine.windows, interactive: options.interactive ?? true, clock: engine.clock, logger: engine.home.logger, storedSession: options.storedSession ?? null });
}

beforeAll(async () => {
  lab = await startLab();
  engine = await makeTestEngine('oidc-login');
  site = cloudSite('cloud');
});

afterAll(async () => {
  engine.sessions.close();
  await lab.close();
});

afterEach(() => {
  lab.idp.setAutoLogin(null);
  lab.cloud.setTokenLifetime(5 * 60 * 60);
  engine.setPerson(null);
});

describe('an oidc-mode (cloudshell) login in Chromium', () => {
  it('logs in through the identity provider form, exchanges the ID token, and the API token works', async () => {
    engine.setPerson(typesLogin('ada', 'lovelace'));
    const before = lab.cloud.issuedTokens().length;
    const result = await login(site);
    expect(result.ending).toBe('ok');
    if (result.ending !== 'ok') return;
    const { session } = result;
    expect(session.user).toBe('ada@lab.example');
    expect(session.credential).toMatchObject({ kind: 'bearer', name: 'Authorization' });
    expect(lab.cloud.issuedTokens().slice(before)).toEqual([session.credential.value]);
    // The cloud's default lifetime is 5 h.
    expect((session.expiresAt ?? 0) - session.obtainedAt).toBe(5 * 3_600_000);
    expect(session.cookies).toEqual([]);
    expect(session.refreshToken).toEqual(expect.any(String));
    expect(await whoami(session.credential.value)).toEqual({ status: 200, body: { user: 'ada@lab.example', via: 'api-token' } });
  });

  it('catches a redirect URI on the site itself, and keeps a plus sign in the email', async () => {
    await engine.windows.clearProfile('cloud-site-redirect');
    engine.setPerson(typesLogin('user+name', 'plus sign'));
    const result = await login(cloudSite('cloud-site-redirect', { redirectUri: lab.cloud.siteRedirectUri }));
    expect(result).toMatchObject({ ending: 'ok', session: { user: 'user+name@lab.example' } });
    if (result.ending === 'ok') expect((await whoami(result.session.credential.value)).body).toEqual({ user: 'user+name@lab.example', via: 'api-token' });
  });

  it('uses the access token as the bearer credential when there is no exchange', async () => {
    lab.idp.setAutoLogin('ada');
    const before = lab.cloud.issuedTokens().length;
    const result = await login(cloudSite('cloud-no-exchange', { exchange: null }));
    expect(result.ending).toBe('ok');
    if (result.ending !== 'ok') return;
    expect(lab.cloud.issuedTokens()).toHaveLength(before);
    // The IdP's access token lives an hour; the cloud API takes it through the IdP's userinfo.
    expect((result.session.expiresAt ?? 0) - result.session.obtainedAt).toBe(3_600_000);
    expect(await whoami(result.session.credential.value)).toEqual({ status: 200, body: { user: 'ada@lab.example', via: 'idp-access-token' } });
  });

  it('renews silently from the refresh token, without opening any window', async () => {
    lab.idp.setAutoLogin('ada');
    lab.cloud.setTokenLifetime(120);
    const first = await login(site);
    expect(first.ending).toBe('ok');
    if (first.ending !== 'ok') return;
    expect((first.session.expiresAt ?? 0) - first.session.obtainedAt).toBe(120_000);

    const opened = engine.opened.length;
    const renewed = await login(site, { interactive: false, storedSession: first.session });
    expect(renewed.ending).toBe('ok');
    if (renewed.ending !== 'ok') return;
    expect(engine.opened.length).toBe(opened);
    expect(renewed.session.user).toBe('ada@lab.example');
    expect(renewed.session.credential.value).not.toBe(first.session.credential.value);
    // oidc-provider rotates a public client's refresh token on every use.
    expect(renewed.session.refreshToken).toEqual(expect.any(String));
    expect(renewed.session.refreshToken).not.toBe(first.session.refreshToken);
    expect((await whoami(renewed.session.credential.value)).status).toBe(200);

    // The used refresh token is spent: renewing from the old session falls back to the hidden
    // window, which logs in from the identity provider's cookies without a form.
    const again = await login(site, { interactive: false, storedSession: first.session });
    expect(again).toMatchObject({ ending: 'ok', session: { user: 'ada@lab.example' } });
    expect(engine.opened.slice(opened)).toEqual([{ visible: false }]);
  });

  it('says the person is needed when neither the refresh token nor the identity provider session is left', async () => {
    lab.idp.setAutoLogin('ada');
    const first = await login(site);
    expect(first.ending).toBe('ok');
    if (first.ending !== 'ok') return;
    lab.idp.setAutoLogin(null);
    // Without offline_access the refresh token lives only as long as the identity provider session.
    expect(lab.idp.endAllSessions()).toBeGreaterThan(0);
    // prompt=none answers at once: no settle timer, no deadline (on the manual clock neither would fire).
    const result = await login(site, { interactive: false, storedSession: first.session });
    expect(result).toMatchObject({ ending: 'incomplete', needsPerson: true });
    expect('reason' in result && result.reason).toContain('login_required');
    expect(engine.clock.pending()).toEqual([]);
  });
});
