import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusJson } from '../../cli/commands/status.ts';
import { startLiveAgent, type LiveAgent } from '../support/live-agent.ts';
import { runCli } from '../support/cli-process.ts';
import { latchkeyVersion } from '../../cli/version.ts';

let live: LiveAgent;

beforeAll(async () => {
  live = await startLiveAgent('cli-sites');
});

afterAll(async () => {
  await live?.close();
});

async function statusJson(): Promise<StatusJson> {
  const result = await runCli(['status', '--json'], live.env);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

describe('latchkey sites', () => {
  it('adds, lists, makes default and removes sites', async () => {
    const added = await runCli(['sites', 'add', 'http://other.localhost:9', '--name', 'Other', '--landing-path', '/home', '--session-cookie', 'sid', '--default'], live.env);
    expect(added.code).toBe(0);
    const other = /^Added (\S+): Other at http:\/\/other\.localhost:9 \(the default site\)\.\n$/.exec(added.stdout)?.[1] ?? 'missing';
    const profile = live.engine.registry.find(other).profile;
    expect([profile.landingPath, profile.sessionCookie, profile.renewPath]).toEqual(['/home', 'sid', '/auth/renew?product=latchkey']);

    const [list, json] = await Promise.all([runCli(['sites'], live.env), runCli(['sites', '--json'], live.env)]);
    expect(list.stdout).toContain(`${other} (default): Other\n  url:     http://other.localhost:9\n  session: none (not logged in)\n`);
    expect(list.stdout).toContain(`${live.site.id}: Studio\n`);
    const sites = JSON.parse(json.stdout) as Array<{ id: string; default: boolean; state: string }>;
    expect(sites.map((site) => [site.id, site.default, site.state])).toEqual([
      [live.site.id, false, 'none'],
      [other, true, 'none'],
    ]);

    expect((await runCli(['sites', 'default', 'Studio'], live.env)).stdout).toBe(`${live.site.id} is now the default site.\n`);
    expect(live.engine.registry.find('default').id).toBe(live.site.id);
    expect((await runCli(['sites', 'rm', 'http://other.localhost:9'], live.env)).stdout).toBe(`Removed ${other}; its session and browser profile are gone.\n`);
    expect(live.engine.registry.list().map((site) => site.id)).toEqual([live.site.id]);
  });

  it('reports what the agent refuses: a bad URL, a duplicate, an unknown site', async () => {
    const [bad, duplicate, unknown] = await Promise.all([
      runCli(['sites', 'add', 'http://studio.example.com'], live.env),
      runCli(['sites', 'add', live.site.url], live.env),
      runCli(['sites', 'rm', 'nosuch'], live.env),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('which is not a loopback host');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('hint: ');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No site matches "nosuch"');
  });
});

describe('latchkey status, login, logout, invalidate', () => {
  it('exits 4 for a site that needs a login, logs in, and then exits 0 with the user and expiry', async () => {
    const before = await runCli(['status', live.site.id], live.env);
    expect(before.code).toBe(4);
    expect(before.stdout).toContain('session: none (not logged in)');

    const login = await runCli(['login'], live.env);
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(new RegExp(`^${live.site.id}: valid as ada, expires \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(in \\d+ min\\)\\n$`));
    const issued = live.lab.site.issuedSessions().length;
    // No-op while the session is valid; --force logs in again.
    expect((await runCli(['login', live.site.id], live.env)).code).toBe(0);
    expect(live.lab.site.issuedSessions()).toHaveLength(issued);
    expect((await runCli(['login', '--force', '--timeout', '30'], live.env)).code).toBe(0);
    expect(live.lab.site.issuedSessions()).toHaveLength(issued + 1);

    const [text, json] = await Promise.all([runCli(['status', 'Studio'], live.env), statusJson()]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^agent: running \\(pid \\d+, version ${latchkeyVersion.replaceAll('.', '\\.')}\\)\nstorage: plaintext \\(.+\\)\nlog: ${live.home.paths.log}\nsource: agent\n\n`));
    expect(text.stdout).toContain(`${live.site.id} (default): Studio\n  url:     ${live.site.url}\n  session: valid as ada, expires `);
    expect(json.agent).toEqual({ running: true, version: latchkeyVersion, pid: process.pid, storage: 'plaintext', storageNote: expect.any(String) });
    expect([json.source, json.env]).toEqual(['agent', null]);
    const [site] = json.sites;
    expect(Object.keys(site ?? {}).sort()).toEqual(['default', 'expiresAt', 'id', 'loggingIn', 'name', 'obtainedAt', 'state', 'url', 'user']);
    expect(site).toMatchObject({ id: live.site.id, name: 'Studio', url: live.site.url, default: true, state: 'valid', user: 'ada', loggingIn: false });
    // An hour from the login, by the clock the agent and the lab share, in whole seconds.
    expect(Date.parse(site?.expiresAt ?? '')).toBe((Math.floor(live.clock.now() / 1000) + 3600) * 1000);
  });

  it('invalidate marks the session rejected and a silent renewal replaces it', async () => {
    const token = live.storedToken();
    const opened = live.opened.length;
    const result = await runCli(['invalidate'], live.env);
    expect(result.stdout).toBe(`The session of ${live.site.id} is marked rejected; a silent renewal has started.\n`);
    const renewed = await runCli(['token'], live.env);
    expect(renewed.code).toBe(0);
    expect(renewed.stdout === `${token}\n`).toBe(false);
    expect(renewed.stdout === `${live.storedToken()}\n`).toBe(true);
    expect(live.opened.slice(opened)).toEqual([{ visible: false }]);
  });

  it('logs out of one site, or of all with --all, and refuses both at once', async () => {
    expect((await runCli(['logout', 'Studio', '--all'], live.env)).code).toBe(2);
    expect((await runCli(['logout', 'Studio'], live.env)).stdout).toBe(`Logged out of ${live.site.id} (local only: nothing to end beyond this machine).\n`);
    expect((await runCli(['status', live.site.id], live.env)).code).toBe(4);
    expect((await runCli(['invalidate'], live.env)).stdout).toBe(`${live.site.id} has no session to invalidate.\n`);
    expect((await runCli(['logout', '--all'], live.env)).stdout).toBe(`Logged out of ${live.site.id} (local only: nothing to end beyond this machine).\n`);
  });
});

describe('usage mistakes', () => {
  it('exits 2 on usage mistakes', async () => {
    const runs = await Promise.all([
      runCli(['token', '--no-such-flag'], live.env),
      runCli(['token', '--wait', '-1'], live.env),
      runCli(['token', '--wait', '3601'], live.env),
      runCli(['api'], live.env),
      runCli(['nosuchverb'], live.env),
      runCli(['login', '--timeout', 'soon'], live.env),
      runCli(['--version'], live.env),
    ]);
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2, 2, 2, 0]);
    expect(runs.every((run) => !run.stdout.includes('_session_id'))).toBe(true);
  });
});

describe('latchkey ui', () => {
  it('prints a one-time URL of the web UI that works once', async () => {
    const run = await runCli(['ui', '--no-open'], live.env);
    expect(run.code).toBe(0);
    const url = run.stdout.trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ui\/open\?ticket=[A-Za-z0-9_-]{43}$/);
    const first = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const again = await fetch(url, { redirect: 'manual' });
    expect(again.status).not.toBe(303);
  });
});
