import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiUrl } from '../../core/agent/web-ui.ts';
import { uiCookieName } from '../../core/agent/web-ui-guard.ts';
import { startFixtureUiAgent, type FixtureUiAgent } from './fixture-ui-agent.ts';
import { launchUiBrowser, type UiBrowser } from './ui-browser.ts';

/** A page that tries every way a web page can reach the UI with the person's cookie. */
function attackPage(agentOrigin: string): string {
  return `<!doctype html><title>attack</title><iframe name="sink"></iframe><script>
    const agent = ${JSON.stringify(agentOrigin)};
    fetch(agent + '/ui/api/v1/logout', { method: 'POST', mode: 'no-cors', credentials: 'include' }).catch(() => {});
    fetch(agent + '/ui/api/v1/sites', { credentials: 'include', headers: { 'X-Latchkey-UI': '1' } })
      .then((r) => r.text()).then((t) => { document.title = 'read: ' + t; }, () => { document.title = 'blocked'; });
    const form = document.createElement('form');
    form.method = 'POST';
    form.action = agent + '/ui/api/v1/sites/studio/logout';
    form.target = 'sink';
    document.body.append(form);
    form.submit();
    const frame = document.createElement('iframe');
    frame.src = agent + '/ui/';
    document.body.append(frame);
  </script>`;
}

describe('the web UI against web pages in the same browser', () => {
  let ui: FixtureUiAgent;
  let uiBrowser: UiBrowser;
  let browser: Browser;
  let context: BrowserContext;
  let evil: Server;
  let evilPort: number;

  beforeAll(async () => {
    ui = await startFixtureUiAgent('ui-browser-attacks');
    evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(attackPage(ui.origin));
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    evilPort = (evil.address() as { port: number }).port;
    uiBrowser = await launchUiBrowser();
    browser = uiBrowser.browser;
    context = await browser.newContext();
    // No step waits against a wall-clock bound; a hang is ended by the test run's own timeout.
    context.setDefaultTimeout(0);
    // The person has the UI open: the browser holds its cookie.
    const uiPage = await context.newPage();
    await uiPage.goto(uiUrl(ui.server));
    // The fixture page is a stub: it does not take the key out of the address bar as the renderer does.
    expect(uiPage.url()).toMatch(new RegExp(`^${ui.origin}/ui/#key=`));
    expect((await context.cookies(`${ui.origin}/ui/`)).map((cookie) => cookie.name)).toEqual([uiCookieName(ui.server.port)]);
  });

  afterAll(async () => {
    await uiBrowser?.close();
    await new Promise((resolve) => evil?.close(resolve));
    await ui?.close();
  });

  // 127.0.0.1 on another port is the same site (ports do not count), so SameSite=Strict still sends
  // the cookie; evil.localhost is another site, so it does not. Both must be refused.
  for (const [kind, host] of [['a page on another port of 127.0.0.1 (same site)', '127.0.0.1'], ['a page of another site', 'evil.localhost']] as const) {
    it(`refuses every request from ${kind}, and no operation runs`, async () => {
      const before = ui.engine.calls.length;
      const page = await context.newPage();
      // Every request the page made to the agent, with how it ended: a status, or the browser's error.
      const seen: Array<{ url: string; cookie: boolean; status?: number; failure?: string }> = [];
      // Resolves once the page has made its four requests and each has ended one way or the other.
      let allEnded: () => void = () => undefined;
      const ended = new Promise<void>((resolve) => (allEnded = resolve));
      const check = (): void => {
        if (seen.length >= 4 && seen.every((entry) => entry.status !== undefined || entry.failure !== undefined)) allEnded();
      };
      page.on('request', (request) => {
        if (!request.url().startsWith(ui.origin)) return;
        const entry: (typeof seen)[number] = { url: request.url(), cookie: false };
        seen.push(entry);
        void request.allHeaders().then((headers) => {
          entry.cookie = (headers['cookie'] ?? '').includes(uiCookieName(ui.server.port));
        });
        void request.response().then(
          (response) => {
            entry.status = response?.status() ?? 0;
            check();
          },
          () => undefined,
        );
      });
      page.on('requestfailed', (request) => {
        const entry = seen.find((candidate) => candidate.url === request.url() && candidate.failure === undefined);
        if (entry !== undefined) entry.failure = request.failure()?.errorText ?? 'failed';
        check();
      });
      await page.goto(`http://${host}:${evilPort}/attack`);
      // The script could not read the answer: its fetch with the key header died in the preflight.
      await page.waitForFunction('document.title === "blocked"');
      await ended;
      // Refused by the agent, or blocked by the browser because of the agent's headers (CORP, framing).
      expect(seen.filter((entry) => entry.status !== undefined && entry.status > 0 && entry.status < 400)).toEqual([]);
      if (host === '127.0.0.1') expect(seen.some((entry) => entry.cookie)).toBe(true);
      expect(ui.engine.calls.length).toBe(before);
      await page.close();
    });
  }
});
