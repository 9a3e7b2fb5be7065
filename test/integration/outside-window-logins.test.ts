import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoginProfile } from '../../core/common/profile.ts';
import { runLogin } from '../../core/login/login-flow.ts';
import type { LoginResult } from '../../core/login/login-result.ts';
import type { LoginPrompt } from '../../core/login/login-strategy.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { requestLoopback, startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, typesLogin, type TestEngine } from '../support/engine.ts';
import { startPersonsBrowser, type PersonsBrowser } from '../support/persons-browser.ts';

// The two logins with no window of ours, each ending caused for real against the lab: ShotGrid's
// app-session request (approved on the site in the person's browser, a second Chromium this test
// drives) and the OAuth device flow (RFC 8628, the code entered at the lab's identity provider).
// Polls wait on the engine's manual clock: the test runs each one, so none races the person.

let lab: Lab;
let engine: TestEngine;
let person: PersonsBrowser;

function login(site: Site, options: { interactive?: boolean; signal?: AbortSignal; prompts?: LoginPrompt[] } = {}): Promise<LoginResult> {
  return runLogin({
    site,
    windows: engine.windows,
    interactive: options.interactive ?? true,
    clock: engine.clock,
    logger: engine.home.logger,
    systemBrowser: person.systemBrowser,
    ...(options.signal ? { signal: options.signal } : {}),
    onPrompt: (prompt) => options.prompts?.push(prompt),
  });
}

/** Runs the login's next poll (its timer first waited for); answers the delay it was set with. */
async function runPoll(): Promise<number> {
  const timer = await engine.clock.whenTimer('login poll');
  engine.clock.runTimer('login poll');
  return timer.delay;
}

/** Runs polls until the login ends. */
async function pollUntilEnded(result: Promise<LoginResult>): Promise<LoginResult> {
  for (;;) {
    const next = await Promise.race([engine.clock.whenTimer('login poll').then(() => 'poll' as const), result.then(() => 'ended' as const)]);
    if (next === 'ended') return result;
    engine.clock.runTimer('login poll');
  }
}

beforeAll(async () => {
  lab = await startLab();
  engine = await makeTestEngine('outside');
  person = await startPersonsBrowser();
});

afterAll(async () => {
  engine.sessions.close();
  await person.close();
  await lab.close();
});

afterEach(async () => {
  await person.closePages();
  lab.site.setAppSessionRequests(true);
  lab.site.setAppSessionPollFailure(null);
  lab.idp.setDeviceSlowDown(0);
});

describe("ShotGrid's app-session request (shotgrid-browser)", () => {
  const studio = (id: string): Site => ({ ...newSite({ url: lab.site.url, preset: 'shotgrid-browser' }, []), id });

  /** The person signs in to the site through its SSO, in their browser, and answers the request. */
  async function personAnswers(url: string, answer: 'approve' | 'deny'): Promise<void> {
    const page = await person.open(url);
    await typesLogin('ada', 'lovelace')(page);
    await page.locator(`#${answer}`).click();
    await page.locator('#answer').waitFor();
  }

  it('opens the approval page in the person’s browser, polls until approved, and the token is the site’s session cookie', async () => {
    const prompts: LoginPrompt[] = [];
    const result = login(studio('sg-ok'), { prompts });
    const opened = await person.sink.next();
    expect(opened).toMatch(new RegExp(`^${lab.site.url}/app_session_request/`));
    expect(prompts).toEqual([{ url: opened, userCode: null, expiresAt: null }]);
    // Polled every 2 s, still waiting before the person answers.
    expect(await runPoll()).toBe(2_000);
    await engine.clock.whenTimer('login poll');
    const [made] = lab.site.appSessionRequests();
    expect(made).toMatchObject({ appName: 'Latchkey', state: 'pending', polls: 1 });

    await personAnswers(opened, 'approve');
    const ended = await pollUntilEnded(result);
    expect(ended).toMatchObject({ ending: 'ok', session: { user: 'ada', credential: { kind: 'cookie', name: '_session_id' }, expiresAt: null } });
    if (ended.ending !== 'ok') return;
    const whoami = await requestLoopback(`${lab.site.url}/api/whoami`, { headers: { cookie: `_session_id=${ended.session.credential.value}` } });
    expect({ status: whoami.status, body: JSON.parse(whoami.body) }).toEqual({ status: 200, body: { user: 'ada' } });
    expect(engine.opened).toEqual([]);
  });

  it('ends `cancelled` when the person denies the request, or it expires', async () => {
    const denied = login(studio('sg-denied'));
    await personAnswers(await person.sink.next(), 'deny');
    expect(await pollUntilEnded(denied)).toMatchObject({ ending: 'cancelled', reason: expect.stringContaining('rejected on the site, or it expired') });

    const expired = login(studio('sg-expired'));
    await person.sink.next();
    lab.site.expireAppSessionRequests();
    expect(await pollUntilEnded(expired)).toMatchObject({ ending: 'cancelled' });
  });

  it('says the site has the feature off (403)', async () => {
    lab.site.setAppSessionRequests(false);
    const before = person.sink.received.length;
    expect(await login(studio('sg-off'))).toMatchObject({ ending: 'http_error', status: 403, reason: expect.stringContaining('turned off') });
    expect(person.sink.received.length).toBe(before);
  });

  it('retries 5xx answers with a growing wait, and fails on a redirect', async () => {
    const result = login(studio('sg-retry'));
    const opened = await person.sink.next();
    lab.site.setAppSessionPollFailure('server_error', 2);
    expect(await runPoll()).toBe(2_000);
    // Two 503s: waits of 2 s and 4 s, then the poll goes through.
    expect(await runPoll()).toBe(2_000);
    expect(await runPoll()).toBe(4_000);
    await personAnswers(opened, 'approve');
    expect(await pollUntilEnded(result)).toMatchObject({ ending: 'ok' });

    const redirected = login(studio('sg-redirect'));
    await person.sink.next();
    lab.site.setAppSessionPollFailure('redirect');
    expect(await pollUntilEnded(redirected)).toMatchObject({ ending: 'http_error', status: 302 });
  });

  it('times out at the login deadline, stops at a logout, and never runs silently', async () => {
    const timedOut = login(studio('sg-timeout'));
    await person.sink.next();
    engine.clock.runTimer('login deadline');
    expect(await timedOut).toMatchObject({ ending: 'timeout', reason: expect.stringContaining('approved in your browser') });

    const stop = new AbortController();
    const cancelled = login(studio('sg-stop'), { signal: stop.signal });
    await person.sink.next();
    await engine.clock.whenTimer('login poll');
    stop.abort();
    expect(await cancelled).toMatchObject({ ending: 'cancelled' });

    expect(await login(studio('sg-silent'), { interactive: false })).toMatchObject({ ending: 'incomplete', needsPerson: true });
  });
});

describe('an oidc login with a device code (RFC 8628)', () => {
  const cloud = (id: string, profile: Partial<LoginProfile> = {}): Site => ({
    ...newSite({ url: lab.cloud.url, preset: 'cloudshell', profile: { issuer: lab.idp.issuer, clientId: lab.cloud.desktopClientId, browser: 'device', ...profile } }, []),
    id,
  });

  /** The person opens the verification page on "another device", confirms the code and signs in. */
  async function personEntersCode(url: string, answer: 'confirm' | 'abort'): Promise<Page> {
    const page = await person.open(url);
    await page.locator(`#${answer}`).click();
    if (answer === 'confirm') await typesLogin('ada', 'lovelace')(page);
    await page.waitForLoadState('load');
    return page;
  }

  it('delivers the page and the code, polls at the provider’s interval, and logs in once the person approves', async () => {
    const prompts: LoginPrompt[] = [];
    const before = person.sink.received.length;
    const result = login(cloud('dev-ok'), { prompts });
    // The first poll waits one interval (the lab's is 1 s); nothing is opened on this machine.
    expect(await runPoll()).toBe(1_000);
    await engine.clock.whenTimer('login poll');
    expect(person.sink.received.length).toBe(before);
    const [prompt] = prompts;
    expect(prompt?.url).toMatch(new RegExp(`^${lab.idp.issuer}/device\\?user_code=`));
    expect(prompt?.userCode).toEqual(expect.any(String));
    expect(new URL(prompt?.url ?? '').searchParams.get('user_code')).toBe(prompt?.userCode);
    expect(prompt?.expiresAt).toBeGreaterThan(engine.clock.now());

    await personEntersCode(prompt?.url ?? '', 'confirm');
    const ended = await pollUntilEnded(result);
    expect(ended).toMatchObject({ ending: 'ok', session: { user: 'ada@lab.example', credential: { kind: 'bearer' } } });
    if (ended.ending !== 'ok') return;
    expect(ended.session.refreshToken).toEqual(expect.any(String));
    const whoami = await requestLoopback(`${lab.cloud.url}/api/whoami`, { headers: { authorization: `Bearer ${ended.session.credential.value}` } });
    expect(JSON.parse(whoami.body)).toEqual({ user: 'ada@lab.example', via: 'api-token' });
  });

  it('waits 5 s longer after each slow_down, for every later poll', async () => {
    const prompts: LoginPrompt[] = [];
    const result = login(cloud('dev-slow'), { prompts });
    lab.idp.setDeviceSlowDown(2);
    expect(await runPoll()).toBe(1_000);
    expect(await runPoll()).toBe(6_000);
    expect(await runPoll()).toBe(11_000);
    // No more slow_down: the interval stays where it got to.
    expect(await runPoll()).toBe(11_000);
    await personEntersCode(prompts[0]?.url ?? '', 'confirm');
    expect(await pollUntilEnded(result)).toMatchObject({ ending: 'ok' });
  });

  it('ends `cancelled` when the person denies, and `timeout` when the code expires', async () => {
    const prompts: LoginPrompt[] = [];
    const denied = login(cloud('dev-denied'), { prompts });
    await engine.clock.whenTimer('login poll');
    await personEntersCode(prompts[0]?.url ?? '', 'abort');
    expect(await pollUntilEnded(denied)).toMatchObject({ ending: 'cancelled', reason: expect.stringContaining('declined') });

    const expired = login(cloud('dev-expired'));
    await engine.clock.whenTimer('login poll');
    expect(lab.idp.expireDeviceCodes()).toBeGreaterThan(0);
    expect(await pollUntilEnded(expired)).toMatchObject({ ending: 'timeout', reason: expect.stringContaining('expired') });
  });

  it('is never tried silently', async () => {
    expect(await login(cloud('dev-silent'), { interactive: false })).toMatchObject({ ending: 'incomplete', needsPerson: true });
  });

  it('is what a window login becomes where no window can reach the person (no desktop)', async () => {
    const prompts: LoginPrompt[] = [];
    const noDesktop = { ...engine.windows, open: engine.windows.open.bind(engine.windows), clearProfile: engine.windows.clearProfile.bind(engine.windows), showsWindows: () => false };
    const site = cloud('dev-auto', { browser: 'embedded' });
    const result = runLogin({ site, windows: noDesktop, interactive: true, clock: engine.clock, logger: engine.home.logger, onPrompt: (prompt) => prompts.push(prompt) });
    await engine.clock.whenTimer('login poll');
    expect(prompts[0]?.userCode).toEqual(expect.any(String));
    await personEntersCode(prompts[0]?.url ?? '', 'confirm');
    expect(await pollUntilEnded(result)).toMatchObject({ ending: 'ok' });
    expect(engine.opened).toEqual([]);
  });
});
