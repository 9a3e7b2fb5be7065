import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt } from '../../build-renderer.ts';
import { uiUrl } from '../../core/agent/web-ui.ts';
import type { SessionGrant, SiteView } from '../../core/common/views.ts';
import { presets } from '../../core/common/presets.ts';
import { startLiveAgent, type LiveAgent } from '../support/live-agent.ts';
import { recordSecret } from '../support/secrets.ts';
import { launchUiBrowser, step, type UiBrowser } from './ui-browser.ts';

/** True when `locator`'s element has the keyboard focus. */
const isFocused = (locator: Locator): Promise<boolean> => locator.evaluate((element) => element === element.ownerDocument.activeElement);

/** Resolves once `locator`'s element has the keyboard focus (Playwright waits on the page, with no bound of its own). */
const focused = (page: Page, locator: Locator): Promise<void> => locator.and(page.locator(':focus')).waitFor();

describe('the web UI of the agent, in Chromium against the SSO lab', () => {
  let agent: LiveAgent;
  let ui: UiBrowser;
  let browser: Browser;
  let page: Page;
  /** Every body the UI's API sent the page (the event stream aside): none may hold a session value. */
  const apiBodies: string[] = [];
  /** Session values the agent handed to the test's script. */
  const handedOut: string[] = [];

  const siteItem = (name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });
  const sites = async (): Promise<SiteView[]> => (await agent.api('GET', '/v1/sites')).body as SiteView[];

  beforeAll(async () => {
    await ensureRendererBuilt();
    agent = await startLiveAgent('web-ui', { registerSite: false });
    ui = await launchUiBrowser();
    browser = ui.browser;
    const context = await browser.newContext({ viewport: { width: 1180, height: 780 }, locale: 'en-US', timezoneId: 'UTC' });
    // No step waits against a wall-clock bound; a hang is ended by the test run's own timeout.
    context.setDefaultTimeout(0);
    page = await context.newPage();
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/ui/api/') && url.pathname !== '/ui/api/v1/events') {
        void response.text().then((text) => apiBodies.push(text), () => undefined);
      }
    });
  });

  afterAll(async () => {
    await ui?.close();
    await agent?.close();
  });

  const run = (name: string, action: () => Promise<void>): Promise<void> => step(page, name, action);

  it('opens through a one-time link that leaves no ticket or key in the address bar, and offers the demo lab', async () => {
    await run('open', async () => {
      await page.goto(uiUrl(agent.server));
      await page.waitForURL(`${agent.origin}/ui/`);
      await page.getByText('No sites yet').waitFor();
      await page.getByText('latchkey demo').waitFor();
      // The key went from the address bar into this tab's storage.
      expect(await page.evaluate('sessionStorage.length')).toBe(1);
    });
  });

  it('offers exactly the agent’s login presets', async () => {
    await run('presets', async () => {
      const options = await page.getByLabel('Login preset').locator('option').all();
      const offered = await Promise.all(options.map((option) => option.getAttribute('value')));
      expect(offered.sort()).toEqual(Object.keys(presets).sort());
    });
  });

  it('shows the agent’s message next to the URL field when the site URL is bad', async () => {
    await run('bad-url', async () => {
      const url = page.getByLabel('Site URL');
      await url.fill('ftp://studio.example.com');
      await page.getByRole('button', { name: 'Add site' }).click();
      await page.locator('#site-url-error').filter({ hasText: /only https is supported/ }).waitFor();
      await url.and(page.locator('[aria-invalid="true"]')).waitFor();
      expect(await url.getAttribute('aria-describedby')).toContain('site-url-error');
      await focused(page, url);
    });
  });

  it('adds the lab site, logs in through the real identity provider, and shows the user and expiry', async () => {
    await run('login', async () => {
      await page.getByLabel('Site URL').fill(agent.lab.site.url);
      await page.getByLabel('Name').fill('Lab Studio');
      await page.getByRole('button', { name: 'Add site' }).click();
      const item = siteItem('Lab Studio');
      await item.getByText('Not logged in').waitFor();
      await page.locator('#site-url-error').waitFor({ state: 'detached' });
      await item.getByRole('button', { name: 'Log in to Lab Studio' }).focus();
      await page.keyboard.press('Enter');
      await item.getByText('Logged in', { exact: true }).waitFor();
      // The same button now logs out, and it kept the focus through the login.
      expect(await isFocused(item.getByRole('button', { name: 'Log out of Lab Studio' }))).toBe(true);
      await item.getByText('ada', { exact: true }).waitFor();
      expect(await item.locator('.session-details').textContent()).toMatch(/^Logged in as ada · expires in (1 hour|\d+ minutes) \(.+\)$/);
      await page.getByRole('status').first().getByText('Logged in to Lab Studio as ada.', { exact: true }).waitFor();
    });
  });

  it('shows in recent activity that a client took the session', async () => {
    await run('activity', async () => {
      const [lab] = await sites();
      for (const client of ['nightly-export', 'test-script']) {
        const grant = await agent.api('GET', `/v1/sites/${lab?.id}/session?wait=0&prompt=false`, undefined, client);
        expect(grant.status).toBe(200);
        const value = (grant.body as SessionGrant).credential.value;
        recordSecret(value);
        handedOut.push(value);
      }
      const entry = page.getByRole('region', { name: 'Recent activity' }).getByRole('listitem').first();
      await entry.getByText('test-script').waitFor();
      expect(await entry.textContent()).toMatch(/^test-script got the session of Lab Studio/);
      const entries = page.getByRole('region', { name: 'Recent activity' }).getByRole('listitem');
      expect(await entries.count()).toBe(2);
      expect(await entries.nth(1).textContent()).toMatch(/^nightly-export got the session of Lab Studio/);
    });
  });

  it('adds a second site and makes it the default', async () => {
    await run('default', async () => {
      await page.getByLabel('Site URL').fill('https://farm.example.com');
      await page.getByLabel('Name').fill('Render Farm');
      await page.getByRole('button', { name: 'Add site' }).click();
      await siteItem('Render Farm').getByText('Not logged in').waitFor();
      expect(await siteItem('Lab Studio').getByText('Default', { exact: true }).count()).toBe(1);
      await siteItem('Render Farm').getByRole('button', { name: 'Make default site: Render Farm' }).click();
      await siteItem('Render Farm').getByText('Default', { exact: true }).waitFor();
      await focused(page, page.getByRole('heading', { name: 'Render Farm' }));
      expect(await siteItem('Lab Studio').getByText('Default', { exact: true }).count()).toBe(0);
      expect((await sites()).filter((site) => site.default).map((site) => site.name)).toEqual(['Render Farm']);
    });
  });

  it('renames a site, and removes it only after confirmation, with the keyboard alone', async () => {
    await run('edit-remove', async () => {
      await siteItem('Render Farm').getByRole('button', { name: 'Edit Render Farm' }).focus();
      await page.keyboard.press('Enter');
      const name = page.getByRole('dialog', { name: 'Edit Render Farm' }).getByLabel('Name');
      await focused(page, name);
      await name.fill('Farm West');
      await page.keyboard.press('Enter');
      await siteItem('Farm West').waitFor();

      const remove = siteItem('Farm West').getByRole('button', { name: 'Remove Farm West' });
      await remove.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Remove Farm West?' });
      await dialog.waitFor();
      // Focus starts on Cancel; Escape closes the dialog and gives focus back to the Remove button.
      expect(await page.locator(':focus').textContent()).toBe('Cancel');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await focused(page, remove);
      expect((await sites()).map((site) => site.name)).toContain('Farm West');

      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'Remove Farm West?' }).getByRole('button', { name: 'Remove site' }).click();
      await siteItem('Farm West').waitFor({ state: 'detached' });
      expect((await sites()).map((site) => site.name)).toEqual(['Lab Studio']);
    });
  });

  it('logs out, follows a login started elsewhere live, and logs out of all after confirmation', async () => {
    await run('logout', async () => {
      const item = siteItem('Lab Studio');
      await item.getByRole('button', { name: 'Log out of Lab Studio' }).click();
      await item.getByText('Not logged in').waitFor();
      const [lab] = await sites();
      expect(lab?.session.state).toBe('none');

      // A login started by a script shows up without any click: the page follows the event stream.
      expect((await agent.api('POST', `/v1/sites/${lab?.id}/login`, {})).status).toBe(200);
      await item.getByText('Logged in', { exact: true }).waitFor();

      await page.getByRole('button', { name: 'Log out of all' }).click();
      await page.getByRole('dialog', { name: 'Log out of all sites?' }).getByRole('button', { name: 'Log out of all' }).click();
      await item.getByText('Not logged in').waitFor();
      expect((await sites()).map((site) => site.session.state)).toEqual(['none']);
    });
  });

  it('never received a session value through the UI’s API', async () => {
    expect(apiBodies.length).toBeGreaterThan(5);
    expect(handedOut).toHaveLength(2);
    for (const body of apiBodies) {
      expect(body).not.toContain('"credential"');
      for (const value of handedOut) expect(body).not.toContain(value);
    }
  });
});
