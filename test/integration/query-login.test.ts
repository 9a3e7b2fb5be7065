import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLogin } from '../../core/login/login-flow.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { requestLoopback, startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, typesLogin, type TestEngine } from '../support/engine.ts';

// query mode (Content Catalyst-style) in real Chromium: the lab's catalyst site lands on
// /irLogin.aspx?un=<user>&SessionKey=<key>, form-encoded, after the SSO round trip.

let lab: Lab;
let engine: TestEngine;
let site: Site;

async function whoami(key: string): Promise<{ status: number; body: string }> {
  return requestLoopback(`${lab.querySite.url}/api/whoami?${new URLSearchParams({ SessionKey: key }).toString()}`);
}

function interactive() {
  return runLogin({ site, windows: engine.windows, interactive: true, clock: engine.clock, logger: engine.home.logger });
}

beforeAll(async () => {
  lab = await startLab();
  engine = await makeTestEngine('query-login');
  site = newSite({ url: lab.querySite.url, preset: 'query-key' }, []);
});

afterAll(async () => {
  engine.sessions.close();
  await lab.close();
});

afterEach(() => {
  lab.querySite.setFailure(null);
  lab.idp.setAutoLogin(null);
  engine.setPerson(null);
});

describe('a query-mode (query-key) login in Chromium', () => {
  it('captures the session key and user from the landing URL, and the key works on the API', async () => {
    engine.setPerson(typesLogin('ada', 'lovelace'));
    const result = await interactive();
    expect(result.ending).toBe('ok');
    if (result.ending !== 'ok') return;
    const { session } = result;
    expect(session.user).toBe('ada');
    expect(session.credential).toMatchObject({ kind: 'key', name: 'SessionKey' });
    // The lab's keys always hold a `+` and `=` (sent as %2B and %3D): decoded, they are the key issued.
    expect(lab.querySite.issuedKeys().at(-1)).toBe(session.credential.value);
    expect(session.credential.value).toContain('+');
    expect(session.expiresAt).toBeNull();
    const answer = await whoami(session.credential.value);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ user: 'ada' });
  });

  it.each([
    ['user name', 'spaced out', 'un=user+name'],
    ['user+name', 'plus sign', 'un=user%2Bname'],
  ])('decodes the user %j from its form encoding', async (login, password, sent) => {
    await engine.windows.clearProfile(site.id);
    const landings: string[] = [];
    engine.setPerson(async (page) => {
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame() && frame.url().includes('/irLogin.aspx')) landings.push(frame.url());
      });
      await typesLogin(login, password)(page);
    });
    const result = await interactive();
    expect(result).toMatchObject({ ending: 'ok', session: { user: login } });
    // The landing URL really carried the encoded form the test is about.
    expect(landings).toHaveLength(1);
    expect(landings[0]).toContain(`?${sent}&SessionKey=`);
  });

  it('ends incomplete, storing nothing, when the landing URL has no session key', async () => {
    lab.querySite.setFailure('no_key');
    lab.idp.setAutoLogin('ada');
    const error = await engine.sessions.login(site, { force: true }).then(() => null, (caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'login_failed', details: { ending: 'incomplete' } });
    expect((error as { details: { reason: string } }).details.reason).toContain('SessionKey');
    expect(engine.store.get(site.id)).toBeUndefined();
  });
});
