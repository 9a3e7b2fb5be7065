import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiCookieName } from '../../core/agent/web-ui-guard.ts';
import { loginBrowser, profileFieldKinds, profileFieldRoles, type LoginProfile, type ProfileField } from '../../core/common/profile.ts';
import type { SiteView } from '../../core/common/views.ts';
import { sessionValues } from '../../core/sessions/session-secrets.ts';
import type { Session } from '../../core/sessions/session.ts';
import { header, send } from '../core/agent/agent-harness.ts';
import { runCli } from '../support/cli-process.ts';
import { startLiveAgent, type LiveAgent } from '../support/live-agent.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { recordSecret } from '../support/secrets.ts';

// A holder of the web UI's credentials (its cookie and per-tab key) but not of the agent's token
// attacks the one promise the UI makes: it never gets a session value. It may change every profile
// field (docs/ARCHITECTURE.md, "Security model"): a change to what a login captures ends the
// session and the login profile, and a label that would show a secret is dropped. Every UI answer,
// every event, the log and the command line's output are searched for every value any grant of
// the run held.

let live: LiveAgent;
let ui: { cookie: string; key: string };
const uiClock = new ManualClock();
const observed: string[] = [];
const secrets = new Set<string>();
const sites: Record<'cookie' | 'oidc' | 'query' | 'jwt', SiteView> = {} as never;

beforeAll(async () => {
  // The UI's pages are not under test: a one-file renderer build serves them.
  const rendererDir = join(process.env['LATCHKEY_TEST_RUN_DIR'] ?? '/tmp', `ui-attacks-renderer-${process.pid}`);
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ui</title>');
  live = await startLiveAgent('ui-profile-attacks', { webUi: { rendererDir, clock: uiClock } });
  live.engine.onEvent((event) => observed.push(JSON.stringify(event)));
  const { lab } = live;
  sites.cookie = live.site;
  sites.oidc = await live.engine.handlers.addSite({ url: lab.cloud.url, name: 'Cloud', preset: 'cloudshell', profile: { issuer: lab.idp.issuer, clientId: lab.cloud.clientId } }, { client: 'test' });
  sites.query = await live.engine.handlers.addSite({ url: lab.querySite.url, name: 'Catalyst', preset: 'query-key' }, { client: 'test' });
  sites.jwt = await live.engine.handlers.addSite({ url: lab.jwtSite.url, name: 'Portal', preset: 'cloudshell-portal' }, { client: 'test' });
  ui = await openUi();
});

afterAll(async () => {
  await live?.close();
});

async function openUi(): Promise<{ cookie: string; key: string }> {
  const host = `127.0.0.1:${live.server.port}`;
  const response = await send({ port: live.server.port }, { target: `/ui/open?ticket=${live.server.createUiTicket()}`, headers: [['Host', host], ['Sec-Fetch-Site', 'none']] });
  const cookie = new RegExp(`^${uiCookieName(live.server.port)}=([^;]+);`).exec(header(response, 'set-cookie') ?? '')?.[1];
  const key = /^\/ui\/#key=(.+)$/.exec(header(response, 'location') ?? '')?.[1];
  if (cookie === undefined || key === undefined) throw new Error(`the UI ticket was not redeemed (${response.status})`);
  recordSecret(cookie);
  recordSecret(key);
  return { cookie, key };
}

/** A call from the UI's page, as its bridge makes it; every answer is kept for the search. */
async function uiCall(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const host = `127.0.0.1:${live.server.port}`;
  const headers: Array<[string, string]> = [
    ['Host', host],
    ['Cookie', `${uiCookieName(live.server.port)}=${ui.cookie}`],
    ['X-Latchkey-UI', ui.key],
    ['Origin', `http://${host}`],
    ['Sec-Fetch-Site', 'same-origin'],
    ...(body === undefined ? [] : ([['Content-Type', 'application/json']] as Array<[string, string]>)),
  ];
  const response = await send({ port: live.server.port }, { method, target: `/ui/api${path}`, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  observed.push(response.body);
  return { status: response.status ?? 0, body: response.body === '' ? null : (JSON.parse(response.body) as unknown) };
}

/**
 * Notes every value of the site's stored session as one the UI must never see: all but the cookies
 * the site's own preset names for what the UI shows by design, its user's login and its expiry.
 */
function noteSecrets(siteId: string): Session | undefined {
  const session = live.engine.store.get(siteId);
  if (session === undefined) return undefined;
  const preset = Object.values(sites).find((site) => site.id === siteId)?.profile;
  const shown = (name: string): boolean =>
    name === preset?.userCookie || (preset?.expiryCookies ?? []).some((pattern) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
  const values = sessionValues({ ...session, cookies: session.cookies.filter((cookie) => !shown(cookie.name)) });
  for (const value of values) {
    secrets.add(value);
    recordSecret(value);
  }
  return session;
}

/** Logs in as the UI does (its login button) and waits for the login to end. */
async function uiLogin(site: SiteView): Promise<void> {
  const answer = await uiCall('POST', `/v1/sites/${site.id}/login`, { force: true });
  expect(answer).toMatchObject({ status: 200 });
  await live.loginsEnded(site.id);
  noteSecrets(site.id);
}

/** Every observed text that holds a secret (six characters or more), with the secret's first characters. */
async function leaks(): Promise<string[]> {
  const log = await live.home.readLog();
  const found: string[] = [];
  for (const secret of secrets) {
    if (secret.length < 6) continue;
    for (const text of [...observed, log]) if (text.includes(secret)) found.push(`${secret.slice(0, 4)}… in ${text.slice(0, 80)}`);
  }
  return found;
}

/**
 * The PATCH that puts `profile` back: every field it has, and null for a field it leaves out that
 * takes null (a field that takes no null and was added stays, matters to no other mode).
 */
function restoring(profile: LoginProfile): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const field of Object.keys(profileFieldKinds) as ProfileField[]) {
    if (profile[field] !== undefined) patch[field] = profile[field];
    else if (profileFieldKinds[field].endsWith('or null')) patch[field] = null;
    // The mode's default browser, said out loud: a profile cannot leave the field out again.
    else if (field === 'browser') patch[field] = loginBrowser(profile);
  }
  return patch;
}

/** A session that looks real, put in the store directly: what a change to the profile must end. */
async function plantSession(site: SiteView): Promise<void> {
  const planted: Session = {
    siteId: site.id,
    siteUrl: site.url,
    user: 'ada',
    credential: { kind: 'cookie', name: site.profile.sessionCookie, value: `planted-${site.id}-value` },
    cookies: [],
    obtainedAt: live.clock.now(),
    expiresAt: live.clock.now() + 3_600_000,
  };
  await live.engine.store.put(planted);
  // The login profile holds the identity provider's session: a marker shows whether it survives.
  mkdirSync(join(live.home.profilesDir, site.id), { recursive: true });
  writeFileSync(join(live.home.profilesDir, site.id, 'marker'), 'the identity provider session');
}

/** A valid value for each profile field, different from the site's. */
function otherValue(field: ProfileField, profile: LoginProfile): unknown {
  const values: Record<ProfileField, unknown> = {
    preset: profile.preset === 'shotgrid' ? 'cloudshell-portal' : 'shotgrid',
    mode: profile.mode === 'query' ? 'cookie' : 'query',
    browser: profile.browser === 'system' ? 'device' : 'system',
    renewPath: '/other/renew',
    landingPath: '/other/landing',
    sessionCookie: 'other_session',
    userCookie: 'other_user',
    expiryCookies: ['other_expiry'],
    validatePath: '/other/validate',
    logoutPath: '/other/logout',
    logoutRedirectUris: ['https://elsewhere.example.com/bye'],
    maxAgeMinutes: 90,
    idleTimeoutMinutes: 30,
    jwtCookie: 'other_jwt',
    userClaims: ['other_claim'],
    sessionParam: 'OtherKey',
    userParam: 'other_user',
    issuer: 'https://idp.elsewhere.example.com',
    clientId: 'other-client',
    redirectUri: 'http://127.0.0.1/other-callback',
    scopes: ['openid', 'other'],
    exchange: profile.exchange === null || profile.exchange === undefined ? { path: '/api/other', domain: 'Other' } : null,
    proxy: profile.proxy === 'direct' ? 'http://proxy.elsewhere.example.com:3128' : 'direct',
  };
  return values[field];
}

describe('a change to a site profile through the web UI', () => {
  const fields = Object.keys(profileFieldRoles) as ProfileField[];
  for (const mode of ['cookie', 'oidc', 'query', 'jwt'] as const) {
    it(`ends the session and the login profile for every capture field, and for no policy field (${mode} mode)`, async () => {
      const outcomes: string[] = [];
      for (const field of fields) {
        const site = (await live.engine.handlers.listSites({}, { client: 'test' })).find((candidate) => candidate.id === sites[mode].id)!;
        await plantSession(site);
        const answer = await uiCall('PATCH', `/v1/sites/${site.id}`, { profile: { [field]: otherValue(field, site.profile) } });
        const kept = live.engine.store.get(site.id) !== undefined;
        const profileKept = existsSync(join(live.home.profilesDir, site.id, 'marker'));
        const changed = answer.status === 200;
        // Refused (the value does not fit this mode): nothing changed, nothing ends.
        const expected = !changed ? 'kept' : profileFieldRoles[field] === 'capture' ? 'ended' : 'kept';
        outcomes.push(`${field}: ${changed ? 'changed' : `refused ${answer.status}`}, session ${kept ? 'kept' : 'ended'}, profile ${profileKept ? 'kept' : 'ended'}${expected === (kept && profileKept ? 'kept' : !kept && !profileKept ? 'ended' : 'mixed') ? '' : ' (WRONG)'}`);
        // Back as it was, through the token's API, for the next field.
        if (changed) expect((await live.api('PATCH', `/v1/sites/${site.id}`, { profile: restoring(site.profile) })).status).toBe(200);
      }
      expect(outcomes.filter((outcome) => outcome.endsWith('(WRONG)'))).toEqual([]);
      // Most fields fit every mode: the test would prove nothing if they were all refused.
      expect(outcomes.filter((outcome) => outcome.includes(': changed')).length).toBeGreaterThan(fields.length / 2);
    });
  }
});

describe('a web UI holder steering a credential into view', () => {
  const attacks: Array<{ mode: keyof typeof sites; why: string; profile: () => Partial<LoginProfile> }> = [
    { mode: 'cookie', why: 'the label read from the session cookie', profile: () => ({ userCookie: '_session_id' }) },
    { mode: 'cookie', why: 'the session and user cookies swapped', profile: () => ({ sessionCookie: 'shotgun_current_user_login', userCookie: '_session_id' }) },
    { mode: 'cookie', why: 'the label read from the expiry cookie', profile: () => ({ userCookie: 'shotgun_current_user_sso_claims_expiration' }) },
    { mode: 'query', why: 'the label read from the key parameter', profile: () => ({ userParam: 'SessionKey' }) },
    { mode: 'query', why: 'the key and user parameters swapped', profile: () => ({ sessionParam: 'un', userParam: 'SessionKey' }) },
    { mode: 'jwt', why: 'the label read from the JWT cookie itself', profile: () => ({ userCookie: 'portal_jwt' }) },
    { mode: 'jwt', why: 'the label read from every claim of the JWT', profile: () => ({ userClaims: ['exp', 'iat', 'jti', 'sub', 'username'] }) },
    { mode: 'oidc', why: 'the access token as the credential, the label from the ID token', profile: () => ({ exchange: null, userClaims: ['at_hash', 'nonce', 'sid', 'sub'] }) },
  ];

  for (const attack of attacks) {
    it(`gets no session value: ${attack.mode} mode, ${attack.why}`, async () => {
      const site = (await live.engine.handlers.listSites({}, { client: 'test' })).find((candidate) => candidate.id === sites[attack.mode].id)!;
      // A live session first, the way a script's use leaves it.
      await live.api('POST', `/v1/sites/${site.id}/login`, { force: true });
      await live.loginsEnded(site.id);
      noteSecrets(site.id);
      const changed = await uiCall('PATCH', `/v1/sites/${site.id}`, { profile: attack.profile() });
      expect(changed.status).toBe(200);
      // The change ended the session: what was captured the old way is gone.
      expect(live.engine.store.get(site.id)).toBeUndefined();
      await uiLogin(site);
      await uiCall('GET', '/v1/sites');
      await uiCall('GET', '/v1/status');
      await uiCall('GET', '/v1/activity');
      const [status, list] = await Promise.all([runCli(['status', '--json'], live.env), runCli(['sites'], live.env)]);
      observed.push(status.stdout, status.stderr, list.stdout, list.stderr);
      expect(await leaks()).toEqual([]);
      // Back as it was, for the next attack.
      expect((await live.api('PATCH', `/v1/sites/${site.id}`, { profile: restoring(site.profile) })).status).toBe(200);
    });
  }
});
