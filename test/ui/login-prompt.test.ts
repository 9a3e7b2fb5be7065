import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, rendererBuildDir } from '../../build-renderer.ts';
import { uiUrl } from '../../core/agent/web-ui.ts';
import type { AgentEvent, SiteView } from '../../core/common/views.ts';
import { startFixtureUiAgent, type FixtureUiAgent } from './fixture-ui-agent.ts';
import { launchUiBrowser, step, type UiBrowser } from './ui-browser.ts';

// The site rows' login prompts (renderer/state/login-prompt.ts, renderer/components/login-progress.tsx):
// the real renderer build in Chromium, over the agent's real web UI API and event stream, with the
// fixture engine sending the events a login in the person's browser or with a device code sends.
// Each case goes on from the state the one before left.

/** The page's clock: relative times ("in 10 minutes") are exact. */
const now = Date.parse('2025-06-01T12:00:00.000Z');
const inTenMinutes = new Date(now + 10 * 60_000).toISOString();
/** Controls and Unicode format characters (bidi overrides, zero-width characters): none may reach the page. */
const hidden = /[\p{Cc}\p{Cf}]/u;

describe('the login prompt of a site’s row, in Chromium', () => {
  let ui: FixtureUiAgent;
  let uiBrowser: UiBrowser;
  let context: BrowserContext;
  let page: Page;

  const siteItem = (name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });
  const other = () => siteItem('Other');
  const emit = (event: AgentEvent): void => ui.engine.emit(event);
  const prompt = (fields: { url: string; userCode?: string | null; expiresAt?: string | null }): void =>
    emit({ type: 'loginPrompt', site: 'other', url: fields.url, userCode: fields.userCode ?? null, expiresAt: fields.expiresAt ?? null });
  const sites = (): Promise<SiteView[]> => ui.engine.handlers.listSites({}, { client: 'test' });
  const run = (name: string, action: () => Promise<void>): Promise<void> => step(page, name, action);

  beforeAll(async () => {
    await ensureRendererBuilt();
    ui = await startFixtureUiAgent('ui-login-prompt', { rendererDir: rendererBuildDir });
    uiBrowser = await launchUiBrowser();
    context = await uiBrowser.browser.newContext({ viewport: { width: 1180, height: 780 }, locale: 'en-US', timezoneId: 'UTC' });
    // No step waits against a wall-clock bound; a hang is ended by the test run's own timeout.
    context.setDefaultTimeout(0);
    await context.clock.setFixedTime(now);
    page = await context.newPage();
    await page.goto(uiUrl(ui.server));
    await other().getByText('Not logged in').waitFor();
    // The page's event stream is open: what the engine sends from now on reaches it.
    await ui.engine.whenListeners(1);
  });

  afterAll(async () => {
    await uiBrowser?.close();
    await ui?.close();
  });

  it('shows where to continue a login in the browser: the address as text, a link to a new tab, and the expiry', async () => {
    await run('browser-prompt', async () => {
      emit({ type: 'login', site: 'other', phase: 'started' });
      // The row's status region is there from the login's start, so the prompt is announced when it comes.
      const status = other().getByRole('status');
      await status.getByText('A login window is open for this site; finish the login there.').waitFor();
      expect(await status.getAttribute('aria-live')).toBe('polite');

      prompt({ url: 'https://login.example.com/approve?ref=\u202Etxt.exe', expiresAt: inTenMinutes });
      await status.getByRole('heading', { name: 'Continue in your browser' }).waitFor();
      // The address as the URL parser writes it: the bidi override is percent-encoded, never applied.
      const address = 'https://login.example.com/approve?ref=%E2%80%AEtxt.exe';
      expect(await status.locator('.login-prompt-address').textContent()).toBe(address);
      expect(await status.textContent()).toBe(
        `Continue in your browserLatchkey opened this page in your browser to finish the login. If it did not open, open it yourself:${address}`,
      );
      const link = other().getByRole('link', { name: 'Open the page in a new tab to log in to Other' });
      expect(await link.getAttribute('href')).toBe(address);
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      // The expiry is outside the status region: its relative time changes as the clock runs.
      expect(await other().locator('.login-prompt-expiry').textContent()).toMatch(/^Expires in 10 minutes \(Jun 1, 2025, 12:10\sPM\)$/);
      expect(await other().locator('.badge').textContent()).toBe('Logging in…');
    });
  });

  it('replaces the prompt with a device login’s, showing its code large with the hidden characters made visible', async () => {
    await run('device-prompt', async () => {
      prompt({ url: 'https://idp.example.com/activate', userCode: 'WDJB\u202E-MJHT\u0007\u200B', expiresAt: inTenMinutes });
      const code = other().locator('.login-prompt-code');
      await code.waitFor();
      expect(await code.textContent()).toBe('WDJB\uFFFD-MJHT\uFFFD\uFFFD');
      const style = await code.evaluate((element) => {
        const computed = element.ownerDocument.defaultView?.getComputedStyle(element);
        return { font: computed?.fontFamily ?? '', size: computed?.fontSize ?? '' };
      });
      expect(style.font).toMatch(/monospace/);
      expect(Number.parseFloat(style.size)).toBeGreaterThanOrEqual(24);
      const status = other().getByRole('status');
      expect(await status.textContent()).toBe('Continue in your browserEnter this code at https://idp.example.com/activateWDJB\uFFFD-MJHT\uFFFD\uFFFD');
      // Only the newest prompt is shown.
      expect(await other().getByText('login.example.com').count()).toBe(0);
      expect(await other().getByRole('link', { name: 'Open the page in a new tab to log in to Other' }).getAttribute('href')).toBe('https://idp.example.com/activate');
      expect(await other().textContent()).not.toMatch(hidden);
    });
  });

  it('shows an address that is no web address as cleaned text, never as a link, and no expiry that is no date', async () => {
    await run('hostile-prompt', async () => {
      const cases = [
        // A bidi override in a host: no URL parser takes it, so its characters are replaced where they stand.
        { url: 'https://idp.exam\u202Eple.com/\u0007go', shown: 'https://idp.exam\uFFFDple.com/\uFFFDgo' },
        { url: 'javascript:alert(document.domain)', shown: 'javascript:alert(document.domain)' },
        // A user name before the host hides the real host (evil.test) behind a familiar one.
        { url: 'https://idp.example.com@evil.test/device', shown: 'https://idp.example.com@evil.test/device' },
      ];
      for (const { url, shown } of cases) {
        prompt({ url, userCode: 'ABCD-EFGH', expiresAt: 'not a date' });
        const address = other().locator('.login-prompt-address');
        await address.filter({ hasText: shown }).waitFor();
        expect(await address.textContent()).toBe(shown);
        expect(await other().getByRole('link').count()).toBe(0);
        expect(await other().locator('.login-prompt-code').textContent()).toBe('ABCD-EFGH');
        expect(await other().locator('.login-prompt-expiry').count()).toBe(0);
        expect(await other().textContent()).not.toMatch(hidden);
      }
    });
  });

  it('clears the prompt when the login finishes, so the next login does not show it', async () => {
    await run('finished', async () => {
      emit({ type: 'login', site: 'other', phase: 'finished', ending: 'cancelled' });
      await other().getByText('Not logged in').waitFor();
      expect(await other().locator('.login-prompt').count()).toBe(0);
      // A prompt merely hidden would come back with the next login; a cleared one does not.
      emit({ type: 'login', site: 'other', phase: 'started' });
      await other().getByText('A login window is open for this site; finish the login there.').waitFor();
      expect(await other().locator('.login-prompt').count()).toBe(0);
    });
  });

  it('drops the prompt of a site the sites list no longer has', async () => {
    await run('dropped', async () => {
      prompt({ url: 'https://idp.example.com/activate', userCode: 'WDJB-MJHT' });
      await other().locator('.login-prompt-code').getByText('WDJB-MJHT').waitFor();
      const listed = await sites();
      emit({ type: 'sites', sites: listed.filter((site) => site.id !== 'other') });
      await other().waitFor({ state: 'detached' });
      // The site comes back with a login running: it has no prompt until the agent sends one.
      emit({ type: 'sites', sites: listed.map((site) => (site.id === 'other' ? { ...site, loggingIn: true } : site)) });
      await other().getByText('A login window is open for this site; finish the login there.').waitFor();
      expect(await other().locator('.login-prompt').count()).toBe(0);
      // Another site's login never showed one.
      expect(await siteItem('Studio').locator('.login-prompt').count()).toBe(0);
    });
  });
});
