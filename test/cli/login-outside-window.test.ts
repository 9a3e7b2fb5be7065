import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SiteView } from '../../core/common/views.ts';
import { startCli, runCli, type CliChild, type CliRun } from '../support/cli-process.ts';
import { startLiveAgent, type LiveAgent } from '../support/live-agent.ts';
import { startPersonsBrowser, type PersonsBrowser } from '../support/persons-browser.ts';

// `latchkey login` for logins outside Latchkey's window, through a live agent: the command prints,
// on stderr, the page to open (and a device login's code), which the person follows in their own
// browser (a Chromium this test drives). The agent's polls wait on its manual clock; the test runs them.

let live: LiveAgent;
let person: PersonsBrowser;
let cloud: SiteView;
let studio: SiteView;
let shotgrid: SiteView;

/** Runs the agent's polls until the command ends. */
async function pollUntilDone(child: CliChild): Promise<CliRun> {
  for (;;) {
    const next = await Promise.race([live.clock.whenTimer('login poll').then(() => 'poll' as const), child.done.then(() => 'done' as const)]);
    if (next === 'done') return child.done;
    live.clock.runTimer('login poll');
  }
}

beforeAll(async () => {
  person = await startPersonsBrowser();
  live = await startLiveAgent('cli-outside', { browserVariable: person.sink.browserVariable, registerSite: false });
  cloud = await live.engine.handlers.addSite(
    { url: live.lab.cloud.url, preset: 'cloudshell', profile: { issuer: live.lab.idp.issuer, clientId: live.lab.cloud.desktopClientId } },
    { client: 'test' },
  );
  studio = await live.engine.handlers.addSite({ url: live.lab.site.url, name: 'Studio in your browser', preset: 'shotgrid-browser' }, { client: 'test' });
  // The same site over HTTPS, as a cookie-mode site: it is only refused, never reached.
  shotgrid = await live.engine.handlers.addSite({ url: live.lab.site.tlsUrl, name: 'Studio', preset: 'shotgrid' }, { client: 'test' });
});

afterAll(async () => {
  await live.close();
  await person.close();
});

afterEach(async () => {
  await person.closePages();
});

describe('latchkey login outside the window', () => {
  it('--device prints the page and the code on stderr, and logs in once the person enters it', async () => {
    const child = startCli(['login', cloud.id, '--device'], live.env);
    // The page and the code, as the person reads them.
    await child.stderrHas(' (valid until ');
    const page = /open this page on any device:\n {2}(\S+)\nand enter the code (\S+) \(valid until /.exec(child.stderrText());
    expect(page).not.toBeNull();
    const [, url = '', code = ''] = page ?? [];
    expect(new URL(url).searchParams.get('user_code')).toBe(code);
    const tab = await person.open(url);
    await tab.locator('#confirm').click();
    await tab.waitForLoadState('load');
    const done = await pollUntilDone(child);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`${cloud.id}: valid`);
    // Nothing was opened on this machine: a device login is for another one.
    expect(person.sink.received).toEqual([]);
  });

  it('prints the approval page of a shotgrid-browser site and opens it in the person’s browser', async () => {
    const child = startCli(['login', studio.id], live.env);
    const opened = await person.sink.next();
    await child.stderrHas(`Continue the login to ${studio.id} in your browser. If no browser opened, open:\n  ${opened}\n`);
    const tab = await person.open(opened);
    await tab.locator('#approve').click();
    await tab.locator('#answer').waitFor();
    const done = await pollUntilDone(child);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`${studio.id}: valid as ada`);
  });

  it('refuses a way of logging in that the site cannot use, and two ways at once', async () => {
    const cookieSite = await runCli(['login', shotgrid.id, '--web'], live.env);
    expect(cookieSite.code).toBe(1);
    expect(cookieSite.stderr).toContain('cannot log in with your own browser');
    const both = await runCli(['login', cloud.id, '--web', '--device'], live.env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Give --web or --device, not both.');
  });
});

