import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLogin } from '../../core/login/login-flow.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { requestLoopback, startLab, type JwtSiteFailure, type Lab } from '../lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../support/engine.ts';

// cookie mode with a JWT-valued session cookie (CloudShell Portal-style) in real Chromium: the
// user comes from the JWT's claims and the expiry from its `exp`, since the cookie itself lives
// only as long as the browser.

let lab: Lab;
let engine: TestEngine;
let site: Site;

beforeAll(async () => {
  engine = await makeTestEngine('jwt-cookie-login');
  // The site signs its JWT's exp by the engine's clock, so the expiry is known to the millisecond.
  lab = await startLab({ autoLogin: 'ada', clock: engine.clock });
  site = newSite({ url: lab.jwtSite.url, preset: 'cloudshell-portal' }, []);
});

afterAll(async () => {
  engine.sessions.close();
  await lab.close();
});

afterEach(() => {
  lab.jwtSite.setFailure(null);
  lab.jwtSite.setSessionLifetime(7200);
  lab.idp.setAutoLogin('ada');
});

describe('a cookie-mode login with a JWT session cookie (cloudshell-portal)', () => {
  it('reads the user from the username claim and the expiry from exp, and the cookie works on the API', async () => {
    lab.jwtSite.setSessionLifetime(1800);
    const result = await runLogin({ site, windows: engine.windows, interactive: true, clock: engine.clock, logger: engine.home.logger });
    expect(result.ending).toBe('ok');
    if (result.ending !== 'ok') return;
    const { session } = result;
    expect(session.user).toBe('ada');
    expect(session.credential).toMatchObject({ kind: 'cookie', name: 'portal_jwt' });
    expect(lab.jwtSite.issuedTokens().at(-1)).toBe(session.credential.value);
    expect(session.cookies.find((cookie) => cookie.name === 'portal_jwt')?.expires).toBeNull();
    // exp is whole seconds: 30 minutes from the login, to the second.
    expect(session.expiresAt).toBe((Math.floor(engine.clock.now() / 1000) + 1_800) * 1000);
    const answer = await requestLoopback(`${lab.jwtSite.url}/api/whoami`, { headers: { Cookie: `portal_jwt=${session.credential.value}` } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ user: 'ada', email: 'ada@lab.example' });
  });

  it('takes the email claim when the profile names it first', async () => {
    const byEmail: Site = { ...site, id: 'portal-email', profile: { ...site.profile, userClaims: ['email', 'username'] } };
    const result = await runLogin({ site: byEmail, windows: engine.windows, interactive: true, clock: engine.clock });
    expect(result).toMatchObject({ ending: 'ok', session: { user: 'ada@lab.example' } });
  });

  it.each([
    ['no_cookie', 'without setting the portal_jwt cookie'],
    ['not_jwt', 'is not a JWT'],
  ] as const)('ends incomplete, storing nothing, with %s', async (failure: JwtSiteFailure, says) => {
    lab.jwtSite.setFailure(failure);
    const error = await engine.sessions.login(site, { force: true }).then(() => null, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'login_failed', details: { ending: 'incomplete' } });
    expect((error as { details: { reason: string } }).details.reason).toContain(says);
    expect(engine.store.get(site.id)).toBeUndefined();
  });
});
