import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { takeBrowserSlot } from '../support/browser-slots.ts';

/** A browser for the page under test, holding a browser slot until closed. */
export interface UiBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Chromium as the UI tests drive it: headless, quiet, with nothing reaching outside this machine. */
export async function launchUiBrowser(): Promise<UiBrowser> {
  const giveBack = await takeBrowserSlot();
  try {
    const browser = await chromium.launch({
      executablePath: process.env['LATCHKEY_BROWSER'] ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    return {
      browser,
      close: async () => {
        await browser.close();
        await giveBack();
      },
    };
  } catch (error) {
    await giveBack();
    throw error;
  }
}

/** Where failure screenshots go: the test run's folder, or a temp folder outside the runner. */
function failureDir(): string {
  const dir = process.env['LATCHKEY_TEST_RUN_DIR'] ?? mkdtempSync(join(tmpdir(), 'latchkey-ui-'));
  const shots = join(dir, 'ui-screenshots');
  mkdirSync(shots, { recursive: true });
  return shots;
}

/** Runs one step of a UI test; when it fails, the page is saved as a screenshot before the error goes on. */
export async function step<T>(page: Page, name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const path = join(failureDir(), `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await page.screenshot({ path, fullPage: true }).then(
      () => console.error(`UI step "${name}" failed; screenshot: ${path}`),
      () => undefined,
    );
    throw error;
  }
}
