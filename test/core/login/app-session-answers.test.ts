import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoginResult } from '../../../core/login/login-result.ts';
import { runLogin } from '../../../core/login/login-flow.ts';
import { newSite } from '../../../core/sites/new-site.ts';
import { ManualClock } from '../../support/manual-clock.ts';
import { ScriptedLoginWindows } from '../../support/scripted-login-window.ts';

// A ShotGrid site that answers the app-session request wrongly, or with hostile values, on a real
// socket: each answer ends the login with a clear ending, and nothing it names is ever opened in
// the person's browser unless it is the site's own page.

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

/** A site whose POST and PUT answers are `answers`; runs one app-session login against it, polls run on the manual clock. */
async function loginAgainst(answers: { post: (origin: string) => { status: number; body: unknown }; put?: { status: number; body: unknown } }): Promise<{ result: LoginResult; opened: string[] }> {
  let origin = '';
  server = createServer((req, res) => {
    const answer = req.method === 'POST' ? answers.post(origin) : (answers.put ?? { status: 200, body: { approved: false } });
    res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.status === 302 ? { location: '/login' } : {}) }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clock = new ManualClock();
  const opened: string[] = [];
  const running = runLogin({
    site: newSite({ url: origin, preset: 'shotgrid-browser' }, []),
    windows: new ScriptedLoginWindows(() => undefined),
    interactive: true,
    clock,
    systemBrowser: { open: async (url) => void opened.push(url) },
  });
  // Polls until the login ends (the first answers may be "still waiting").
  for (;;) {
    const next = await Promise.race([clock.whenTimer('login poll').then(() => 'poll' as const), running.then(() => 'ended' as const)]);
    if (next === 'ended') break;
    clock.runTimer('login poll');
  }
  return { result: await running, opened };
}

describe('an app-session login against a site that answers wrongly', () => {
  it('never opens an approval page on another host', async () => {
    const { result, opened } = await loginAgainst({ post: () => ({ status: 200, body: { sessionRequestId: 'r1', url: 'https://evil.example/approve' } }) });
    expect(result).toMatchObject({ ending: 'incomplete', reason: expect.stringContaining('not on the site') });
    expect(opened).toEqual([]);
  });

  it('refuses a request id that would leave its path segment', async () => {
    const { result, opened } = await loginAgainst({ post: (origin) => ({ status: 200, body: { sessionRequestId: '../../admin', url: `${origin}/approve` } }) });
    expect(result).toMatchObject({ ending: 'incomplete', reason: expect.stringContaining('usable request id') });
    expect(opened).toEqual([]);
  });

  it('ends incomplete when approved without a session token, and http_error on a redirect to start', async () => {
    const approvedEmpty = await loginAgainst({
      post: (origin) => ({ status: 200, body: { sessionRequestId: 'r2', url: `${origin}/approve/r2` } }),
      put: { status: 200, body: { approved: true, userLogin: 'ada' } },
    });
    expect(approvedEmpty.result).toMatchObject({ ending: 'incomplete', reason: expect.stringContaining('without a usable session token') });
    expect(approvedEmpty.opened).toHaveLength(1);
    const redirected = await loginAgainst({ post: () => ({ status: 302, body: {} }) });
    expect(redirected.result).toMatchObject({ ending: 'http_error', status: 302 });
  });
});
