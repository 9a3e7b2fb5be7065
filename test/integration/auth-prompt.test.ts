import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runLogin } from '../../core/login/login-flow.ts';
import type { LoginResult } from '../../core/login/login-result.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../support/engine.ts';

// An identity provider whose sign-in page is behind an HTTP Basic prompt (a 401 challenge), in real
// Chromium. The person answers the browser's prompt: in these hidden windows, the test answers it
// through Playwright's credentials, which Chromium asks for exactly where a visible window shows
// its prompt. Without an answer, the prompt was dismissed; a silent login never prompts.

let lab: Lab;
let engine: TestEngine;
let site: Site;

function login(interactive: boolean): Promise<LoginResult> {
  return runLogin({ site, windows: engine.windows, interactive, clock: engine.clock, logger: engine.home.logger });
}

beforeAll(async () => {
  lab = await startLab();
  lab.idp.setBasicAuth(true);
  engine = await makeTestEngine('auth-prompt');
  site = { ...newSite({ url: lab.site.url, preset: 'shotgrid' }, []), id: 'studio' };
});

afterAll(async () => {
  engine.sessions.close();
  await lab.close();
});

afterEach(async () => {
  engine.setPerson(null);
  await engine.windows.clearProfile(site.id);
});

describe("a Basic prompt at the identity provider's page", () => {
  it('logs in once the person answers the prompt', async () => {
    engine.setPerson(async (page) => page.context().setHTTPCredentials({ username: 'ada', password: 'lovelace' }));
    expect(await login(true)).toMatchObject({ ending: 'ok', session: { user: 'ada' } });
  });

  it('ends `cancelled` when the person dismisses it, naming the host', async () => {
    const result = await login(true);
    expect(result).toMatchObject({ ending: 'cancelled', reason: `The sign-in prompt of idp.localhost:${lab.idp.port} was cancelled.` });
  });

  it('ends `cancelled` when the person gives up after a wrong answer', async () => {
    engine.setPerson(async (page) => page.context().setHTTPCredentials({ username: 'ada', password: 'wrong' }));
    expect(await login(true)).toMatchObject({ ending: 'cancelled' });
  });

  it('never prompts in a silent renewal (a hidden window has no prompt): the person is needed', async () => {
    const result = await login(false);
    expect(result).toMatchObject({ ending: 'http_error', status: 401, needsPerson: true });
  });
});
