import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, rendererBuildDir } from '../../build-renderer.ts';
import { uiUrl } from '../../core/agent/web-ui.ts';
import { cloudshellProfile, presetList } from '../../core/common/presets.ts';
import { modeBrowsers } from '../../core/common/profile.ts';
import { startFixtureUiAgent, type FixtureUiAgent } from './fixture-ui-agent.ts';
import { launchUiBrowser, step, type UiBrowser } from './ui-browser.ts';

// The "Log in with" choice of the add-site form and the edit dialog (renderer/components/browser-field.tsx):
// the real renderer build in Chromium, over the agent's real web UI API; the fixture engine
// records each request as the agent passed it on.

const labels = ["Latchkey's login window", 'Your own browser', 'A device code (no desktop)'];
const oidcFields = { issuer: 'https://idp.example.com', clientId: 'latchkey' };

describe('the choice of how a site logs in, in Chromium', () => {
  let ui: FixtureUiAgent;
  let uiBrowser: UiBrowser;
  let page: Page;

  const siteItem = (name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });
  const choice = () => page.getByLabel('Log in with');
  const run = (name: string, action: () => Promise<void>): Promise<void> => step(page, name, action);

  /** Fills the add-site form for a CloudShell site at `url` and submits it; resolves with what the engine received. */
  const addCloudShell = async (url: string): Promise<unknown> => {
    await page.getByLabel('Site URL').fill(url);
    const details = page.locator('details.advanced');
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    await page.getByLabel('Profile fields (JSON)').fill(JSON.stringify(oidcFields));
    const call = ui.engine.nextCall('addSite');
    await page.getByRole('button', { name: 'Add site' }).click();
    return (await call).input;
  };

  beforeAll(async () => {
    await ensureRendererBuilt();
    ui = await startFixtureUiAgent('ui-browser-choice', { rendererDir: rendererBuildDir });
    uiBrowser = await launchUiBrowser();
    const context = await uiBrowser.browser.newContext({ viewport: { width: 1180, height: 780 }, locale: 'en-US', timezoneId: 'UTC' });
    // No step waits against a wall-clock bound; a hang is ended by the test run's own timeout.
    context.setDefaultTimeout(0);
    page = await context.newPage();
    await page.goto(uiUrl(ui.server));
    await siteItem('Other').waitFor();
    await ui.engine.whenListeners(1);
  });

  afterAll(async () => {
    await uiBrowser?.close();
    await ui?.close();
  });

  it('offers the choice for the cloudshell preset, the preset’s own chosen, and not for shotgrid or any preset with one way to log in', async () => {
    await run('offered', async () => {
      const preset = page.getByLabel('Login preset');
      expect(await preset.inputValue()).toBe('shotgrid');
      expect(await choice().count()).toBe(0);

      await preset.selectOption('cloudshell');
      await choice().waitFor();
      const options = await choice().locator('option').all();
      expect(await Promise.all(options.map((option) => option.getAttribute('value')))).toEqual(['embedded', 'system', 'device']);
      expect(await Promise.all(options.map((option) => option.textContent()))).toEqual(labels);
      expect(await choice().inputValue()).toBe('embedded');

      // A choice belongs to the preset it was made for.
      await choice().selectOption('system');
      await preset.selectOption('shotgrid');
      await choice().waitFor({ state: 'detached' });
      await preset.selectOption('cloudshell');
      expect(await choice().inputValue()).toBe('embedded');

      // Every preset: the choice is there exactly when its mode logs in more than one way.
      const shown: Record<string, boolean> = {};
      for (const { name, description } of presetList) {
        await preset.selectOption(name);
        // The preset's description and the choice come in one render: once it shows, the form is the preset's.
        await page.locator('#site-preset-description').filter({ hasText: description }).waitFor();
        shown[name] = (await choice().count()) === 1;
      }
      expect(shown).toEqual(Object.fromEntries(presetList.map(({ name, profile }) => [name, modeBrowsers[profile.mode].length > 1])));
      expect([shown['cloudshell'], shown['shotgrid'], shown['shotgrid-browser']]).toEqual([true, false, false]);
    });
  });

  it('sends the chosen browser in the new site’s profile, and no browser when the preset’s own is kept', async () => {
    await run('add', async () => {
      await page.getByLabel('Login preset').selectOption('cloudshell');
      await choice().selectOption({ label: 'A device code (no desktop)' });
      expect(await addCloudShell('https://cloud.example.com')).toEqual({
        url: 'https://cloud.example.com',
        preset: 'cloudshell',
        profile: { ...oidcFields, browser: 'device' },
      });
      await siteItem('cloud').waitFor();

      await choice().selectOption({ label: "Latchkey's login window" });
      expect(await addCloudShell('https://cloudtwo.example.com')).toEqual({ url: 'https://cloudtwo.example.com', preset: 'cloudshell', profile: oidcFields });
      await siteItem('cloudtwo').waitFor();
    });
  });

  it('changes how a site logs in from the edit dialog, sending the browser only when it changed', async () => {
    await run('edit', async () => {
      // The agent tells the page that Other is a CloudShell site now.
      const listed = await ui.engine.handlers.listSites({}, { client: 'test' });
      ui.engine.emit({ type: 'sites', sites: listed.map((site) => (site.id === 'other' ? { ...site, profile: { ...cloudshellProfile, ...oidcFields } } : site)) });
      await siteItem('Other').getByRole('button', { name: 'Edit Other' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit Other' });
      const browser = dialog.getByLabel('Log in with');
      expect(await browser.inputValue()).toBe('embedded');
      await browser.selectOption({ label: 'Your own browser' });
      const changed = ui.engine.nextCall('updateSite');
      await dialog.getByRole('button', { name: 'Save' }).click();
      expect((await changed).input).toEqual({ id: 'other', name: 'Other', profile: { browser: 'system' } });
      await dialog.waitFor({ state: 'detached' });

      // A ShotGrid site logs in one way only: no choice, and nothing about it is sent.
      await siteItem('Studio').getByRole('button', { name: 'Edit Studio' }).click();
      const studio = page.getByRole('dialog', { name: 'Edit Studio' });
      await studio.getByLabel('Name').waitFor();
      expect(await studio.getByLabel('Log in with').count()).toBe(0);
      const kept = ui.engine.nextCall('updateSite');
      await studio.getByRole('button', { name: 'Save' }).click();
      expect((await kept).input).toEqual({ id: 'studio', name: 'Studio' });
      await studio.waitFor({ state: 'detached' });
    });
  });
});
