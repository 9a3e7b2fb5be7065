import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoginProfile } from '../../core/common/profile.ts';
import { runLogin } from '../../core/login/login-flow.ts';
import type { LoginResult } from '../../core/login/login-result.ts';
import type { LoginPrompt } from '../../core/login/login-strategy.ts';
import type { Session } from '../../core/sessions/session.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { requestLoopback, startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, typesLogin, type TestEngine } from '../support/engine.ts';
import { startPersonsBrowser, type PersonsBrowser } from '../support/persons-browser.ts';

// An oidc login in the person's own browser (RFC 8252): the agent opens the authorization page with
// BROWSER, and "the person's browser" is a second Chromium this test drives, where the person signs
// in at the lab's identity provider; the redirect comes back to the agent's one-shot loopback
// listener. No window of the engine's opens.

let lab: Lab;
let engine: TestEngine;
let person: PersonsBrowser;

function cloudSite(id: string, profile: Partial<LoginProfile> = {}): Site {
  const created = newSite({ url: lab.cloud.url, preset: 'cloudshell', profile: { issuer: lab.idp.issuer, clientId: lab.cloud.desktopClientId, browser: 'system', ...profile } }, []);
  return { ...created, id };
}

function login(site: Site, options: { interactive?: boolean; storedSession?: Session; signal?: AbortSignal; prompts?: LoginPrompt[] } = {}): Promise<LoginResult> {
  return runLogin({
    site,
    windows: engine.windows,
    interactive: options.interactive ?? true,
    clock: engine.clock,
    logger: engine.home.logger,
    storedSession: options.storedSession ?? null,
    systemBrowser: person.systemBrowser,
    ...(options.signal ? { signal: options.signal } : {}),
    onPrompt: (prompt) => options.prompts?.push(prompt),
  });
}

/** The person signs in, in their own browser, on the page the agent opened; resolves with the page the browser ends on. */
async function personSignsIn(url: string): Promise<{ url: string; text: string }> {
  const page = await person.open(url);
  await typesLogin('ada', 'lovelace')(page);
  await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/latchkey\/callback\?/, { waitUntil: 'load' });
  return { url: page.url(), text: await page.locator('body').innerText() };
}

/** One GET to the loopback listener from elsewhere on this machine: the status, or the connect error. */
function poke(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    req.end();
  });
}

beforeAll(async () => {
  lab = await startLab();
  engine = await makeTestEngine('sysbrowser');
  person = await startPersonsBrowser();
});

afterAll(async () => {
  engine.sessions.close();
  await person.close();
  await lab.close();
});

afterEach(async () => {
  await person.closePages();
  lab.idp.setAutoLogin(null);
  lab.idp.setAuthorizationTamper(null);
});

describe('an oidc login in the person’s own browser', () => {
  it('opens the authorization page there, catches the redirect on a loopback port, and the session works', async () => {
    const prompts: LoginPrompt[] = [];
    const result = login(cloudSite('cloud'), { prompts });
    const opened = await person.sink.next();
    const authorization = new URL(opened);
    expect(`${authorization.origin}${authorization.pathname}`).toBe(lab.idp.authorizationEndpoint);
    const redirectUri = new URL(authorization.searchParams.get('redirect_uri') ?? '');
    expect(redirectUri.hostname).toBe('127.0.0.1');
    expect(redirectUri.pathname).toBe('/latchkey/callback');
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    // The page is delivered to the client too, for a person whose browser did not open.
    expect(prompts).toEqual([{ url: opened, userCode: null, expiresAt: null }]);

    const reached = await personSignsIn(opened);
    expect(reached.text).toContain('You may close this tab');
    const ended = await result;
    expect(ended).toMatchObject({ ending: 'ok', session: { user: 'ada@lab.example', credential: { kind: 'bearer' } } });
    if (ended.ending !== 'ok') return;
    const whoami = await requestLoopback(`${lab.cloud.url}/api/whoami`, { headers: { authorization: `Bearer ${ended.session.credential.value}` } });
    expect(JSON.parse(whoami.body)).toEqual({ user: 'ada@lab.example', via: 'api-token' });
    // No window of the engine's was opened: the person's browser did it all.
    expect(engine.opened).toEqual([]);
    // The listener is gone with its answer: a second callback finds nothing.
    expect(await poke(reached.url)).toBe('ECONNREFUSED');
  });

  it('refuses a callback with a wrong state or on a foreign path, and goes on to the real one', async () => {
    const result = login(cloudSite('cloud-refusals'));
    const opened = await person.sink.next();
    const redirectUri = new URL(opened).searchParams.get('redirect_uri') ?? '';
    expect(await poke(`${redirectUri}?code=forged&state=not-this-login`)).toBe(400);
    expect(await poke(new URL(`/elsewhere?code=forged&state=${new URL(opened).searchParams.get('state')}`, redirectUri).href)).toBe(404);
    await personSignsIn(opened);
    expect(await result).toMatchObject({ ending: 'ok' });
  });

  it('shows the person a refusal for a redirect with another state, and does not take it', async () => {
    lab.idp.setAutoLogin('ada');
    lab.idp.setAuthorizationTamper('wrong_state');
    const result = login(cloudSite('cloud-wrong-state'));
    const page = await person.open(await person.sink.next());
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/latchkey\/callback\?/, { waitUntil: 'load' });
    expect(await page.locator('body').innerText()).toContain('not for the sign-in Latchkey is waiting for');
    // Still waiting: only the deadline ends it.
    engine.clock.runTimer('login deadline');
    expect(await result).toMatchObject({ ending: 'timeout' });
  });

  it("ends `incomplete` when the provider refuses, with this login's state", async () => {
    lab.idp.setAutoLogin('ada');
    lab.idp.setAuthorizationTamper('access_denied');
    const result = login(cloudSite('cloud-refused'));
    const opened = await person.sink.next();
    // The provider answers at once with an error redirect: the person does nothing.
    await person.open(opened);
    const ended = await result;
    expect(ended).toMatchObject({ ending: 'incomplete' });
    expect(ended.ending !== 'ok' && ended.reason).toContain('refused the login');
  });

  it('times out at the login deadline, and a logout meanwhile cancels it; the listener closes either way', async () => {
    const timedOut = login(cloudSite('cloud-timeout'));
    const opened = await person.sink.next();
    await engine.clock.whenTimer('login deadline');
    engine.clock.runTimer('login deadline');
    expect(await timedOut).toMatchObject({ ending: 'timeout', reason: expect.stringContaining('sign-in in your browser') });
    expect(await poke(new URL(opened).searchParams.get('redirect_uri') ?? '')).toBe('ECONNREFUSED');

    const stop = new AbortController();
    const cancelled = login(cloudSite('cloud-cancel'), { signal: stop.signal });
    await person.sink.next();
    stop.abort();
    expect(await cancelled).toMatchObject({ ending: 'cancelled' });
  });

  it('never opens anything for a silent renewal: the person is needed', async () => {
    const before = person.sink.received.length;
    const ended = await login(cloudSite('cloud-silent'), { interactive: false });
    expect(ended).toMatchObject({ ending: 'incomplete', needsPerson: true });
    expect(person.sink.received.length).toBe(before);
  });
});
