import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLogin } from '../../core/login/login-flow.ts';
import { newSite } from '../../core/sites/new-site.ts';
import type { Site } from '../../core/sites/site.ts';
import { startLab, type Lab } from '../lab/lab.ts';
import { makeTestEngine, type TestEngine } from '../support/engine.ts';
import { processesNaming } from '../support/processes.ts';
import { until } from '../support/until.ts';

// A fault: the login browser dies in the middle of a login (it crashed, or something killed it).
// The login ends at once with a clear ending, and no process of that browser is left behind.

let lab: Lab;
let engine: TestEngine;
let site: Site;

beforeAll(async () => {
  lab = await startLab();
  engine = await makeTestEngine('crash');
  site = { ...newSite({ url: lab.site.url, preset: 'shotgrid' }, []), id: 'studio-crash' };
});

afterAll(async () => {
  engine.sessions.close();
  await lab.close();
});

describe.skipIf(process.platform !== 'linux')('the login browser dying mid-login', () => {
  it('ends the login `cancelled` saying the window went away, and leaves no browser process', async () => {
    // The person reaches the identity provider's form; then the browser process crashes.
    const profile = `${engine.home.profilesDir}/${site.id}`;
    let runningBefore = 0;
    engine.setPerson(async (page) => {
      await page.locator('#username').waitFor();
      runningBefore = processesNaming(profile).length;
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Browser.crash').catch(() => undefined);
    });
    const result = await runLogin({ site, windows: engine.windows, interactive: true, clock: engine.clock, logger: engine.home.logger });
    expect(result).toMatchObject({ ending: 'cancelled', reason: expect.stringContaining('closed before the login finished') });
    engine.setPerson(null);
    // The profile folder is in the browser's command line (--user-data-dir): nothing of it runs on.
    expect(runningBefore).toBeGreaterThan(0);
    await until(() => processesNaming(profile), (pids) => pids.length === 0);
    // The next login in the same profile starts cleanly.
    lab.idp.setAutoLogin('ada');
    expect(await runLogin({ site, windows: engine.windows, interactive: true, clock: engine.clock, logger: engine.home.logger })).toMatchObject({ ending: 'ok' });
    lab.idp.setAutoLogin(null);
  });
});
