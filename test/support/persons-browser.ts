import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { processSystemBrowser, type SystemBrowser } from '../../core/browser/system-browser.ts';
import { launchUiBrowser } from '../ui/ui-browser.ts';
import { startUrlSink, type UrlSink } from './url-sink.ts';

/**
 * "The person's own browser" for tests of logins outside Latchkey's window: the agent opens pages
 * through `BROWSER` (a sink that hands each URL to the test), and the test plays the person in a
 * Chromium of its own (holding a browser slot), a fresh set of cookies for each page it opens.
 */
export interface PersonsBrowser {
  /** Where the agent's opened pages arrive. */
  sink: UrlSink;
  /** The SystemBrowser an engine opens pages with: `BROWSER` set to the sink. */
  systemBrowser: SystemBrowser;
  /** Opens `url` as the person, in a new context (no cookies of earlier pages); no wall-clock bound on its steps. */
  open(url: string): Promise<Page>;
  /** Closes the pages opened so far (between tests). */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

export async function startPersonsBrowser(): Promise<PersonsBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'lk-sink-'));
  const sink = await startUrlSink(dir);
  const browser = await launchUiBrowser();
  const contexts: BrowserContext[] = [];
  const closePages = async (): Promise<void> => {
    for (const context of contexts.splice(0)) await context.close();
  };
  return {
    sink,
    systemBrowser: processSystemBrowser({ env: { BROWSER: sink.browserVariable }, platform: process.platform }),
    open: async (url) => {
      const context = await browser.browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(0);
      await page.goto(url);
      return page;
    },
    closePages,
    close: async () => {
      await closePages();
      await browser.close();
      await sink.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
