// `npm run screenshots`: the README's pictures of the web UI (docs/screenshots/), taken against a
// live agent and the SSO lab in headless Chromium. The tests never write them: a picture changes
// with every login's time, and the tests leave the working tree as they found it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRendererBuilt } from '../../build-renderer.ts';
import { uiUrl } from '../../core/agent/web-ui.ts';
import type { SiteView } from '../../core/common/views.ts';
import { startLiveAgent } from '../support/live-agent.ts';
import { launchUiBrowser } from './ui-browser.ts';

const dir = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

await ensureRendererBuilt();
const agent = await startLiveAgent('screenshots', { registerSite: false });
const ui = await launchUiBrowser();
try {
  const context = await ui.browser.newContext({ viewport: { width: 1180, height: 780 }, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const shots = new Map<string, Buffer>();
  const shoot = async (name: string, take: () => Promise<Buffer>): Promise<void> => {
    // The pointer away from the page, so no button is caught in its hover state.
    await page.mouse.move(0, 0);
    shots.set(name, await take());
  };
  const siteItem = (name: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name, exact: true }) });

  await page.goto(uiUrl(agent.server));
  await page.getByText('No sites yet').waitFor();
  await page.getByLabel('Site URL').fill('ftp://studio.example.com');
  await page.getByRole('button', { name: 'Add site' }).click();
  await page.locator('#site-url-error').waitFor();
  await shoot('add-site-error.png', () => page.screenshot({ fullPage: true }));

  await page.getByLabel('Site URL').fill(agent.lab.site.url);
  await page.getByLabel('Name').fill('Lab Studio');
  await page.getByRole('button', { name: 'Add site' }).click();
  await siteItem('Lab Studio').getByRole('button', { name: 'Log in to Lab Studio' }).click();
  await siteItem('Lab Studio').getByText('Logged in', { exact: true }).waitFor();
  const [lab] = (await agent.api('GET', '/v1/sites')).body as SiteView[];
  for (const client of ['nightly-export', 'maya-publish']) {
    const grant = await agent.api('GET', `/v1/sites/${lab?.id}/session?wait=0&prompt=false`, undefined, client);
    if (grant.status !== 200) throw new Error(`the session was not handed out (${grant.status})`);
  }
  const activity = page.getByRole('region', { name: 'Recent activity' });
  await activity.getByText('maya-publish').waitFor();
  await shoot('activity.png', () => activity.screenshot());

  await page.getByLabel('Site URL').fill('https://farm.example.com');
  await page.getByLabel('Name').fill('Render Farm');
  await page.getByRole('button', { name: 'Add site' }).click();
  await siteItem('Render Farm').getByText('Not logged in').waitFor();
  await shoot('site-list.png', () => page.screenshot({ fullPage: true }));

  mkdirSync(dir, { recursive: true });
  for (const [name, image] of shots) writeFileSync(join(dir, name), image);
  console.log(`Wrote ${[...shots.keys()].join(', ')} in docs/screenshots/.`);
} finally {
  await ui.close();
  await agent.close();
}
